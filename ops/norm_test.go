package ops

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

var _ = addCheck("softmax", func(t *testing.T, rng *tensor.RNG) {
	rows, cols := randDim(rng, 4), randDim(rng, 6)
	fwd := func(x []float64) []float64 {
		y := make([]float64, len(x))
		k64.softmaxRows(y, x, 2*rows, cols)
		return y
	}
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, 2, rows, cols)},
		f64:    func(x [][]float64) []float64 { return fwd(x[0]) },
		b64: func(x [][]float64, gy []float64, gx [][]float64) {
			softmaxBwd(gx[0], fwd(x[0]), gy, 2*rows, cols, true)
		},
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return Softmax(tp, x[0]) },
	})
})

var _ = addCheck("layernorm", func(t *testing.T, rng *tensor.RNG) {
	rows, cols := randDim(rng, 4), 2+rng.Intn(6)
	const eps = 1e-5
	fwd := func(x [][]float64) (y, mean, rstd []float64) {
		y, mean, rstd = make([]float64, rows*cols), make([]float64, rows), make([]float64, rows)
		k64.layerNorm(y, x[0], x[1], x[2], mean, rstd, rows, cols, eps)
		return
	}
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, rows, cols), randTensor(rng, cols), randTensor(rng, cols)},
		f64: func(x [][]float64) []float64 {
			y, _, _ := fwd(x)
			return y
		},
		b64: func(x [][]float64, gy []float64, gx [][]float64) {
			_, mean, rstd := fwd(x)
			k64.layerNormBwd(gx[0], gx[1], gx[2], gy, x[0], x[1], mean, rstd, rows, cols)
		},
		op32:  func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return LayerNorm(tp, x[0], x[1], x[2], eps) },
		tol32: 5e-3,
	})
})

var _ = addCheck("dropout", func(t *testing.T, rng *tensor.RNG) {
	shape := []int{randDim(rng, 3), 5 + rng.Intn(40)}
	seed := rng.Uint64()
	keep := newKeepMask(numel(shape))
	dropMask(keep, 0.4, tensor.NewRNG(seed))
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, shape...)},
		f64: func(x [][]float64) []float64 {
			y := make([]float64, len(x[0]))
			applyMask(y, x[0], keep, false)
			return y
		},
		b64: func(x [][]float64, gy []float64, gx [][]float64) { applyMask(gx[0], gy, keep, true) },
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var {
			return Dropout(tp, x[0], Drop{P: 0.4, RNG: tensor.NewRNG(seed), Train: true})
		},
	})
})

// The integer threshold of dropMask gives exactly the bits of the rule
// Uniform() >= p, for p on and off the 2⁻²⁴ grid of the draws.
func TestDropoutMaskThreshold(t *testing.T) {
	const n = 20000
	for _, p := range []float32{0.5, 0.25, 1.0 / 3, 0.1, 1e-7, 0x1p-24, 3 * 0x1p-25, 0.9999} {
		m := newKeepMask(n)
		dropMask(m, p, tensor.NewRNG(7))
		base := tensor.NewRNG(tensor.NewRNG(7).Uint64())
		for c := 0; c*dropChunk < n; c++ {
			r := base.Split(uint64(c))
			for i := c * dropChunk; i < min((c+1)*dropChunk, n); i++ {
				if bit := m.bits[i/32]>>(i%32)&1 == 1; bit != (r.Uniform() >= p) {
					t.Fatalf("p=%v element %d: bit %v disagrees with its draw", p, i, bit)
				}
			}
		}
	}
}

// The mask keeps about 1-p of the elements, scaled by 1/(1-p); it is the
// same for the same seed whatever the thread count; eval is the identity.
func TestDropoutMask(t *testing.T) {
	const n, p = 100003, 0.1
	a, b := newKeepMask(n), newKeepMask(n)
	dropMask(a, p, tensor.NewRNG(42))
	if a.scale != 1/(1-float32(p)) {
		t.Fatalf("scale %v", a.scale)
	}
	// The packed bits are the draws of the unpacked rule: element i of
	// chunk c is kept when stream c's draw is at least p.
	base := tensor.NewRNG(tensor.NewRNG(42).Uint64())
	kept := 0
	for c := 0; c*dropChunk < n; c++ {
		r := base.Split(uint64(c))
		for i := c * dropChunk; i < min((c+1)*dropChunk, n); i++ {
			bit := a.bits[i/32]>>(i%32)&1 == 1
			if bit != (r.Uniform() >= p) {
				t.Fatalf("element %d: bit %v disagrees with its draw", i, bit)
			}
			if bit {
				kept++
			}
		}
	}
	if f := float64(kept) / n; f < 0.895 || f > 0.905 {
		t.Fatalf("kept fraction %v, want 0.9", f)
	}
	withThreads(t, 1, func() { dropMask(b, p, tensor.NewRNG(42)) })
	for i := range a.bits {
		if a.bits[i] != b.bits[i] {
			t.Fatalf("mask differs at word %d with one thread", i)
		}
	}
	tp := autograd.NewTape()
	x := autograd.NewConst(tensor.Full(1, 3))
	if y := Dropout(tp, x, Drop{P: 0.5, Train: false}); y != x {
		t.Fatal("eval-mode dropout is not the identity")
	}
}
