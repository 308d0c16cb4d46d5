package diffuseq

import (
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func randTensor(seed uint64, shape ...int) *tensor.Tensor {
	x := tensor.New(shape...)
	tensor.NewRNG(seed).FillNormal(x.Data(), 0, 1)
	return x
}

// TestNearestMatchesBruteForce: the chunked float32 argmin agrees with a
// float64 brute force over shapes that do not fill the tiles: V spans two
// vocabulary chunks and the positions two row blocks, both with a ragged
// last one.
func TestNearestMatchesBruteForce(t *testing.T) {
	const v, d, n = roundCols + 37, 16, roundRows + 9
	emb, x := randTensor(1, v, d), randTensor(2, n, d)
	r := NewRounder(emb)
	ids := r.Nearest(x)
	e, xs := emb.Data(), x.Data()
	dist := func(i, k int) float64 {
		var s float64
		for j := range d {
			diff := float64(xs[i*d+j]) - float64(e[k*d+j])
			s += diff * diff
		}
		return s
	}
	exact := 0
	for i := range n {
		best := 0
		for k := 1; k < v; k++ {
			if dist(i, k) < dist(i, best) {
				best = k
			}
		}
		if ids[i] == best {
			exact++
		} else if dist(i, ids[i])-dist(i, best) > 1e-4*dist(i, best) {
			t.Errorf("position %d: chose %d (dist %v), nearest %d (dist %v)", i, ids[i], dist(i, ids[i]), best, dist(i, best))
		}
	}
	if exact < n-2 {
		t.Errorf("only %d of %d positions match the brute force", exact, n)
	}
}

// TestNearestTiesAndThreads: an exact copy of a duplicated row goes to the
// lowest index (distance clamped at 0), and the result does not depend on
// the thread count.
func TestNearestTiesAndThreads(t *testing.T) {
	const v, d = roundCols + 100, 8
	emb := randTensor(3, v, d)
	e := emb.Data()
	copy(e[1050*d:1051*d], e[7*d:8*d]) // row 1050 (second chunk) duplicates row 7
	const n = roundRows + 100
	x := tensor.New(2, n/2, d)
	for i := range n {
		src := (i * 37) % v
		if i == 5 {
			src = 1050
		}
		copy(x.Data()[i*d:(i+1)*d], e[src*d:(src+1)*d])
	}
	r := NewRounder(emb)
	prev := parallel.SetThreads(1)
	one := r.Nearest(x)
	parallel.SetThreads(2)
	two := r.Nearest(x)
	parallel.SetThreads(prev)
	for i := range one {
		want := (i * 37) % v
		if i == 5 || want == 1050 {
			want = 7
		}
		if one[i] != want || two[i] != one[i] {
			t.Errorf("position %d: ids %d (1 thread) / %d (2 threads), want %d", i, one[i], two[i], want)
		}
	}
	out, _ := r.Round(x)
	for i, val := range out.Data() {
		if val != x.Data()[i] {
			t.Fatalf("rounding an embedding row changed it at %d", i)
		}
	}
}

func TestLogitsAndArgmax(t *testing.T) {
	const v, d = 37, 5
	emb, bias, h := randTensor(4, v, d), randTensor(5, v), randTensor(6, 2, 3, d)
	z := Logits(h, emb, bias)
	if s := z.Shape(); len(s) != 3 || s[2] != v {
		t.Fatalf("logits shape %v", s)
	}
	for n := range 6 {
		for k := range v {
			want := float64(bias.Data()[k])
			for j := range d {
				want += float64(h.Data()[n*d+j]) * float64(emb.Data()[k*d+j])
			}
			if got := float64(z.Data()[n*v+k]); math.Abs(got-want) > 1e-5*(1+math.Abs(want)) {
				t.Fatalf("logit[%d,%d] = %v, want %v", n, k, got, want)
			}
		}
	}
	rows := tensor.FromSlice([]float32{1, 3, 3, 0, float32(math.NaN()), 2, -1, 2}, 2, 4)
	if got := Argmax(rows); got[0] != 1 || got[1] != 1 {
		t.Errorf("Argmax = %v, want [1 1] (lowest index on ties, NaN never wins)", got)
	}
}

// TestDenoisedFnMaskedRoundsOnlyTheTarget: rows with mask 1 are rounded
// exactly as DenoisedFn rounds them, rows with mask 0 keep the prediction.
func TestDenoisedFnMaskedRoundsOnlyTheTarget(t *testing.T) {
	rng := tensor.NewRNG(5)
	emb := tensor.New(37, 6)
	rng.FillNormal(emb.Data(), 0, 1)
	r := NewRounder(emb)
	x := tensor.New(2, 5, 6)
	rng.FillNormal(x.Data(), 0, 1)
	mask := []int{0, 0, 1, 1, 1, 0, 1, 1, 0, 1}
	full := r.DenoisedFn()(x, nil).Data()
	got := r.DenoisedFnMasked(mask)(x, nil).Data()
	for i, m := range mask {
		want := full[i*6 : (i+1)*6]
		if m == 0 {
			want = x.Data()[i*6 : (i+1)*6]
		}
		for k := range want {
			if got[i*6+k] != want[k] {
				t.Fatalf("position %d (mask %d): %v, want %v", i, m, got[i*6:(i+1)*6], want)
			}
		}
	}
}
