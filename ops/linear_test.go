package ops

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

var _ = addCheck("linear", func(t *testing.T, rng *tensor.RNG) {
	B, T, in, out := randDim(rng, 3), randDim(rng, 4), randDim(rng, 5), randDim(rng, 5)
	for _, bias := range []bool{true, false} {
		inputs := []*tensor.Tensor{randTensor(rng, B, T, in), randTensor(rng, out, in)}
		if bias {
			inputs = append(inputs, randTensor(rng, out))
		}
		bOf := func(x [][]float64) []float64 {
			if bias {
				return x[2]
			}
			return nil
		}
		checkCase(t, rng, gradCase{
			inputs: inputs,
			f64: func(x [][]float64) []float64 {
				y := make([]float64, B*T*out)
				linearFwd(k64, y, x[0], x[1], bOf(x), B*T, in, out)
				return y
			},
			b64: func(x [][]float64, gy []float64, gx [][]float64) {
				linearBwd(k64, gx[0], gx[1], bOf(gx), gy, x[0], x[1], B*T, in, out, false)
			},
			op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var {
				if bias {
					return Linear(tp, x[0], x[1], x[2])
				}
				return Linear(tp, x[0], x[1], nil)
			},
		})
	}
})

func matmulCase(t *testing.T, rng *tensor.RNG, lead []int, op func(tp *autograd.Tape, a, b *autograd.Var, ta, tb bool) *autograd.Var) {
	m, n, k := randDim(rng, 4), randDim(rng, 4), randDim(rng, 4)
	batch := numel(lead)
	for _, ta := range []bool{false, true} {
		for _, tb := range []bool{false, true} {
			as := append(append([]int(nil), lead...), m, k)
			if ta {
				as = append(append([]int(nil), lead...), k, m)
			}
			bs := append(append([]int(nil), lead...), k, n)
			if tb {
				bs = append(append([]int(nil), lead...), n, k)
			}
			checkCase(t, rng, gradCase{
				inputs: []*tensor.Tensor{randTensor(rng, as...), randTensor(rng, bs...)},
				f64: func(x [][]float64) []float64 {
					c := make([]float64, batch*m*n)
					matmulFwd(k64, c, x[0], x[1], m, n, k, ta, tb, batch)
					return c
				},
				b64: func(x [][]float64, gy []float64, gx [][]float64) {
					matmulBwd(k64, gx[0], gx[1], gy, x[0], x[1], m, n, k, ta, tb, batch)
				},
				op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return op(tp, x[0], x[1], ta, tb) },
			})
		}
	}
}

var _ = addCheck("matmul", func(t *testing.T, rng *tensor.RNG) { matmulCase(t, rng, nil, MatMul) })

var _ = addCheck("batched_matmul", func(t *testing.T, rng *tensor.RNG) {
	matmulCase(t, rng, []int{randDim(rng, 2), randDim(rng, 3)}, BatchedMatMul)
})

func TestLinearShapePanic(t *testing.T) {
	tp := autograd.NewTape()
	defer func() {
		msg, _ := recover().(string)
		want := "ops.linear: x [2 3], weight [4 5], bias nil: want x (..., in), weight (out, in), bias (out)"
		if msg != want {
			t.Fatalf("panic %q, want %q", msg, want)
		}
	}()
	Linear(tp, autograd.NewConst(tensor.New(2, 3)), autograd.NewConst(tensor.New(4, 5)), nil)
}
