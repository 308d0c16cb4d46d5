package tensor

import (
	"slices"
	"testing"
)

// step mimics a training step's temporaries: a mix of sizes, some larger
// than a slab, written to so that reuse would show as non-zero values.
func arenaStep(a *Arena, b, t, c int) float32 {
	h := a.New(b, t, c)      // (B, T, C)
	att := a.New(b, 4, t, t) // (B, H, T, T)
	logits := a.New(b*t, 50) // (B·T, V)
	big := a.New(minSlab + 17)
	var s float32
	for _, x := range []*Tensor{h, att, logits, big} {
		d := x.Data()
		for i := range d {
			s += d[i] // must read zeros
			d[i] = 1
		}
	}
	return s
}

func TestArenaZeroFilledAndShaped(t *testing.T) {
	var a Arena
	for i := 0; i < 3; i++ {
		a.Reset()
		if s := arenaStep(&a, 2, 8, 16); s != 0 {
			t.Fatalf("step %d: arena tensors not zero-filled (sum %v)", i, s)
		}
	}
	a.Reset()
	x := a.New(3, 4, 5)
	if !slices.Equal(x.Shape(), []int{3, 4, 5}) || !slices.Equal(x.Strides(), []int{20, 5, 1}) || !x.IsContiguous() {
		t.Fatalf("shape %v strides %v", x.Shape(), x.Strides())
	}
	y := a.New(7)
	// Tensors from one cycle never overlap, and each buffer is capped to
	// its own elements.
	x.Fill(1)
	y.Fill(2)
	for _, v := range x.Data() {
		if v != 1 {
			t.Fatal("x overwritten by y")
		}
	}
	if len(x.Buffer()) != 60 || cap(x.Buffer()) != 60 {
		t.Errorf("buffer len %d cap %d, want 60", len(x.Buffer()), cap(x.Buffer()))
	}
	if s := a.New(); s.Len() != 1 || s.At() != 0 {
		t.Error("scalar from arena")
	}
	if e := a.New(0, 4); e.Len() != 0 {
		t.Error("empty from arena")
	}
	mustPanic(t, func() { a.New(2, -3) }, "Arena.New", "negative")
}

// TestArenaSteadyStateDoesNotAllocate is the point of the arena: after a
// warm-up step, repeating the step allocates nothing.
func TestArenaSteadyStateDoesNotAllocate(t *testing.T) {
	var a Arena
	arenaStep(&a, 2, 8, 16) // warm-up grows slabs and headers
	allocs := testing.AllocsPerRun(20, func() {
		a.Reset()
		arenaStep(&a, 2, 8, 16)
	})
	if allocs != 0 {
		t.Errorf("steady-state step allocates %v times, want 0", allocs)
	}
	if n := len(a.slabs); n != 1 {
		t.Errorf("%d slabs after Reset, want them merged into 1", n)
	}
	// Without the arena the same step allocates (the test can fail).
	heap := testing.AllocsPerRun(5, func() { _ = New(2, 8, 16); _ = New(2, 4, 8, 8) })
	if heap == 0 {
		t.Error("control: tensor.New did not allocate")
	}
}

func TestArenaGrowsForLargerStep(t *testing.T) {
	var a Arena
	arenaStep(&a, 1, 4, 4)
	before := a.Cap()
	a.Reset()
	arenaStep(&a, 8, 128, 64) // bigger than before: new slabs
	if a.Cap() <= before {
		t.Errorf("cap %d did not grow from %d", a.Cap(), before)
	}
	a.Reset()
	if s := arenaStep(&a, 8, 128, 64); s != 0 {
		t.Error("not zero after growth")
	}
	if a.String() == "" {
		t.Error("empty String")
	}
}

func BenchmarkArenaStep(b *testing.B) {
	var a Arena
	b.ReportAllocs()
	for b.Loop() {
		a.Reset()
		arenaStep(&a, 2, 32, 64)
	}
}

func BenchmarkHeapStep(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = New(2, 32, 64)
		_ = New(2, 4, 32, 32)
		_ = New(64, 50)
		_ = New(minSlab + 17)
	}
}
