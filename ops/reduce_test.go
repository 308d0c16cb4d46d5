package ops

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func reduceCase(t *testing.T, rng *tensor.RNG, mean bool, op func(*autograd.Tape, *autograd.Var, int) *autograd.Var) {
	shape := []int{randDim(rng, 3), randDim(rng, 4), randDim(rng, 5)}
	for keep := 0; keep <= 3; keep++ {
		rows, n := numel(shape[:keep]), numel(shape[keep:])
		scale := 1.0
		if mean {
			scale = 1 / float64(n)
		}
		checkCase(t, rng, gradCase{
			inputs: []*tensor.Tensor{randTensor(rng, shape...)},
			f64: func(x [][]float64) []float64 {
				y := make([]float64, rows)
				reduceFwd(y, x[0], rows, n, scale)
				return y
			},
			b64:  func(x [][]float64, gy []float64, gx [][]float64) { reduceBwd(gx[0], gy, rows, n, scale) },
			op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return op(tp, x[0], keep) },
		})
	}
}

var _ = addCheck("sum", func(t *testing.T, rng *tensor.RNG) { reduceCase(t, rng, false, Sum) })
var _ = addCheck("mean", func(t *testing.T, rng *tensor.RNG) { reduceCase(t, rng, true, Mean) })
