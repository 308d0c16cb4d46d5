package ops

import (
	"slices"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

var _ = addCheck("reshape", func(t *testing.T, rng *tensor.RNG) {
	a, b, c := randDim(rng, 3), randDim(rng, 3), randDim(rng, 4)
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, a, b, c)},
		f64:    func(x [][]float64) []float64 { return slices.Clone(x[0]) },
		b64: func(x [][]float64, gy []float64, gx [][]float64) {
			scaleFwd(gx[0], gy, 1, true)
		},
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var {
			y := Reshape(tp, x[0], a*b, -1)
			if !slices.Equal(y.Shape(), []int{a * b, c}) {
				t.Fatalf("reshape gave %v", y.Shape())
			}
			return y
		},
	})
})

var _ = addCheck("permute", func(t *testing.T, rng *tensor.RNG) {
	xS := []int{randDim(rng, 3), randDim(rng, 3), randDim(rng, 4), randDim(rng, 2)}
	axes := []int{0, 1, 2, 3}
	for i := len(axes) - 1; i > 0; i-- {
		j := rng.Intn(i + 1)
		axes[i], axes[j] = axes[j], axes[i]
	}
	yS := make([]int, 4)
	for i, a := range axes {
		yS[i] = xS[a]
	}
	in := randTensor(rng, xS...)
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{in},
		f64: func(x [][]float64) []float64 {
			y := make([]float64, len(x[0]))
			permuteFwd(y, x[0], xS, axes, false)
			return y
		},
		b64: func(x [][]float64, gy []float64, gx [][]float64) { permuteFwd(gx[0], gy, yS, inverse(axes), true) },
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var {
			y := Permute(tp, x[0], axes...)
			// Independent oracle: tensor's strided view.
			if want := x[0].Value.Permute(axes...).Values(); !slices.Equal(y.Data(), want) {
				t.Fatalf("permute %v of %v disagrees with tensor.Permute", axes, xS)
			}
			return y
		},
	})
})

var _ = addCheck("slice", func(t *testing.T, rng *tensor.RNG) {
	xS := []int{randDim(rng, 3), 2 + randDim(rng, 4), randDim(rng, 3)}
	for axis := 0; axis < 3; axis++ {
		lo := rng.Intn(xS[axis])
		hi := lo + 1 + rng.Intn(xS[axis]-lo)
		outer, xn, inner := blocks(xS, axis)
		in := randTensor(rng, xS...)
		checkCase(t, rng, gradCase{
			inputs: []*tensor.Tensor{in},
			f64: func(x [][]float64) []float64 {
				y := make([]float64, outer*(hi-lo)*inner)
				sliceFwd(y, x[0], outer, xn, inner, lo, hi-lo, false)
				return y
			},
			b64: func(x [][]float64, gy []float64, gx [][]float64) {
				sliceFwd(gy, gx[0], outer, xn, inner, lo, hi-lo, true)
			},
			op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var {
				y := Slice(tp, x[0], axis, lo, hi)
				if want := x[0].Value.Slice(axis, lo, hi).Values(); !slices.Equal(y.Data(), want) {
					t.Fatalf("slice disagrees with tensor.Slice")
				}
				return y
			},
		})
	}
})

var _ = addCheck("concat", func(t *testing.T, rng *tensor.RNG) {
	base := []int{randDim(rng, 3), randDim(rng, 3), randDim(rng, 3)}
	for axis := 0; axis < 3; axis++ {
		var inputs []*tensor.Tensor
		var ns []int
		for i := 0; i < 3; i++ {
			s := slices.Clone(base)
			s[axis] = randDim(rng, 3)
			ns = append(ns, s[axis])
			inputs = append(inputs, randTensor(rng, s...))
		}
		yS := slices.Clone(base)
		yS[axis] = ns[0] + ns[1] + ns[2]
		outer, yn, inner := blocks(yS, axis)
		checkCase(t, rng, gradCase{
			inputs: inputs,
			f64: func(x [][]float64) []float64 {
				y := make([]float64, numel(yS))
				lo := 0
				for i, n := range ns {
					sliceFwd(x[i], y, outer, yn, inner, lo, n, true)
					lo += n
				}
				return y
			},
			b64: func(x [][]float64, gy []float64, gx [][]float64) {
				lo := 0
				for i, n := range ns {
					g := make([]float64, len(gx[i]))
					sliceFwd(g, gy, outer, yn, inner, lo, n, false)
					scaleFwd(gx[i], g, 1, true)
					lo += n
				}
			},
			op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return Concat(tp, axis, x...) },
		})
	}
})
