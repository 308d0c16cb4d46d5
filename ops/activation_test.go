package ops

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// unaryCase checks an element-wise op on a random (≤3-D) shape.
func unaryCase(rng *tensor.RNG, fwd func(y, x []float64), back func(gx, x, y, gy []float64),
	op func(tp *autograd.Tape, x *autograd.Var) *autograd.Var) gradCase {
	shape := []int{randDim(rng, 3), randDim(rng, 4), randDim(rng, 5)}
	in := randTensor(rng, shape...)
	scaleFwd(in.Data(), in.Data(), 2, false) // cover the tails, |x| up to ~6
	return gradCase{
		inputs: []*tensor.Tensor{in},
		f64: func(x [][]float64) []float64 {
			y := make([]float64, len(x[0]))
			fwd(y, x[0])
			return y
		},
		b64: func(x [][]float64, gy []float64, gx [][]float64) {
			y := make([]float64, len(x[0]))
			fwd(y, x[0])
			back(gx[0], x[0], y, gy)
		},
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return op(tp, x[0]) },
	}
}

var _ = addCheck("tanh", func(t *testing.T, rng *tensor.RNG) {
	checkCase(t, rng, unaryCase(rng, k64.tanh, func(gx, x, y, gy []float64) { tanhBwd(gx, y, gy) }, Tanh))
})

var _ = addCheck("silu", func(t *testing.T, rng *tensor.RNG) {
	checkCase(t, rng, unaryCase(rng, k64.silu, func(gx, x, y, gy []float64) { siluBwd(gx, x, gy) }, SiLU))
})

var _ = addCheck("gelu", func(t *testing.T, rng *tensor.RNG) {
	checkCase(t, rng, unaryCase(rng, k64.gelu, func(gx, x, y, gy []float64) { k64.geluBwd(gx, x, gy) }, GELU))
})
