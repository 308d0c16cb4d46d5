package ops

import (
	"fmt"
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("reshape", "same elements, new shape (a view)")
	autograd.Register("permute", "reorder dimensions (materialised contiguous)")
}

// Reshape returns x with a new shape (one dim may be -1). The value shares
// x's buffer; the gradient is the upstream gradient read in x's shape.
func Reshape(tp *autograd.Tape, x *autograd.Var, shape ...int) *autograd.Var {
	y := x.Value.Reshape(shape...)
	return tp.Op("reshape", y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			scaleFwd(gx, out.Grad.Data(), 1, true)
		}
	}, x)
}

// permuteFwd writes y = x with dimension i of y being dimension axes[i] of
// x (xS is x's shape); with accumulate it adds instead.
func permuteFwd[F Float](y, x []F, xS, axes []int, accumulate bool) {
	yS := make([]int, len(axes))
	xSt := bcastStrides(xS, xS)
	st := make([]int, len(axes))
	for i, a := range axes {
		yS[i], st[i] = xS[a], xSt[a]
	}
	walk(yS, st, nil, nil, func(i, ix, _, _ int) {
		if accumulate {
			y[i] += x[ix]
		} else {
			y[i] = x[ix]
		}
	})
}

// inverse returns the permutation undoing axes.
func inverse(axes []int) []int {
	inv := make([]int, len(axes))
	for i, a := range axes {
		inv[a] = i
	}
	return inv
}

// Permute returns x with its dimensions reordered (y dim i = x dim
// axes[i]), copied to contiguous memory so later GEMMs can read it.
func Permute(tp *autograd.Tape, x *autograd.Var, axes ...int) *autograd.Var {
	xS := x.Shape()
	seen := make([]bool, len(xS))
	if len(axes) != len(xS) {
		panic(fmt.Sprintf("ops.permute: axes %v for shape %v", axes, xS))
	}
	yS := make([]int, len(axes))
	for i, a := range axes {
		if a < 0 || a >= len(xS) || seen[a] {
			panic(fmt.Sprintf("ops.permute: axes %v for shape %v", axes, xS))
		}
		seen[a], yS[i] = true, xS[a]
	}
	axes = slices.Clone(axes)
	y := tp.Empty(yS...)
	permuteFwd(y.Data(), x.Data(), xS, axes, false)
	return tp.Op("permute", y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			permuteFwd(gx, out.Grad.Data(), yS, inverse(axes), true)
		}
	}, x)
}
