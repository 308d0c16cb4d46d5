package data

import (
	"slices"
	"testing"
)

// TestTorchRandperm compares with torch 1.13's randperm and
// DistributedSampler, as printed by testdata/tokenizer/gen_torch_randperm.py.
func TestTorchRandperm(t *testing.T) {
	for _, tc := range []struct {
		n    int
		seed uint64
		want []int
	}{
		{10, 0, []int{4, 1, 7, 5, 3, 9, 0, 8, 6, 2}},
		{7, 5, []int{1, 0, 4, 2, 6, 5, 3}},
		{13, 0, []int{3, 4, 0, 2, 11, 8, 12, 5, 10, 6, 9, 1, 7}}, // DistributedSampler, epoch 0
		{13, 3, []int{2, 9, 1, 10, 5, 4, 8, 12, 0, 7, 11, 6, 3}}, // DistributedSampler, epoch 3
	} {
		if got := torchRandperm(tc.n, tc.seed); !slices.Equal(got, tc.want) {
			t.Errorf("randperm(%d, seed %d) = %v, want %v", tc.n, tc.seed, got, tc.want)
		}
	}
	p := torchRandperm(29000, 0) // Multi30k's training set size
	if !slices.Equal(p[:10], []int{16044, 20044, 14791, 18913, 28095, 18809, 4723, 7080, 16593, 26103}) ||
		!slices.Equal(p[len(p)-5:], []int{4993, 23360, 19729, 7966, 10382}) {
		t.Errorf("randperm(29000, 0) = %v ... %v", p[:10], p[len(p)-5:])
	}
}

// TestLoaderTorchOrder: with TorchOrder, Seed 0 and no reshuffling, the
// loader yields the reference training loader's batches, every epoch.
func TestLoaderTorchOrder(t *testing.T) {
	ds := numbered(t, 13)
	l, _ := NewLoader(ds, LoaderOptions{BatchSize: 5, Shuffle: true, TorchOrder: true, Repeat: true})
	want := []int{3, 4, 0, 2, 11, 8, 12, 5, 10, 6, 9, 1, 7}
	for epoch := 0; epoch < 2; epoch++ {
		var got []int
		for k := 0; k < 3; k++ {
			b, err := l.Next()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, b.Records...)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("epoch %d: %v, want %v", epoch, got, want)
		}
	}
	re, _ := NewLoader(ds, LoaderOptions{BatchSize: 13, Shuffle: true, TorchOrder: true, ReshuffleEachEpoch: true, Seed: 1, Repeat: true})
	re.SetState(State{Epoch: 2})
	b, _ := re.Next() // epoch 2 with seed 1: torch seed 1 + 2 = 3
	if !slices.Equal(b.Records, []int{2, 9, 1, 10, 5, 4, 8, 12, 0, 7, 11, 6, 3}) {
		t.Fatalf("seed 1, epoch 2: %v", b.Records)
	}
}
