package ops

import (
	"fmt"
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("layernorm", "layer normalisation over the last dim with gain and bias (fused backward)")
}

// LayerNormEps is BERT's (and DiffuSeq's) epsilon, 1e-12.
const LayerNormEps = 1e-12

// LayerNorm normalises x (..., C) over its last dimension to zero mean and
// unit (biased) variance, then applies gamma (C) and beta (C):
//
//	y = (x - mean)/sqrt(var + eps)·gamma + beta
//
// The forward keeps each row's mean and 1/std; the backward is the fused
// closed form (see asm.LayerNormBackwardRows), not a chain of primitives.
func LayerNorm(tp *autograd.Tape, x, gamma, beta *autograd.Var, eps float32) *autograd.Var {
	rows, cols := lastDim("layernorm", x.Shape())
	if !slices.Equal(gamma.Shape(), []int{cols}) || !slices.Equal(beta.Shape(), []int{cols}) {
		panic(fmt.Sprintf("ops.layernorm: x %v with gamma %v and beta %v: want both (%d)", x.Shape(), gamma.Shape(), beta.Shape(), cols))
	}
	y := tp.Empty(x.Shape()...)
	mean, rstd := tp.Empty(rows), tp.Empty(rows) // (rows) saved for backward
	k32.layerNorm(y.Data(), x.Data(), gamma.Data(), beta.Data(), mean.Data(), rstd.Data(), rows, cols, eps)
	return tp.Op("layernorm", y, func(out *autograd.Var) {
		// The kernel produces all three gradients; unneeded ones go to
		// scratch.
		gx, gg, gb := tp.Grad(x), tp.Grad(gamma), tp.Grad(beta)
		if gx == nil {
			gx = tp.Zeros(x.Shape()...).Data()
		}
		if gg == nil {
			gg = tp.Zeros(cols).Data()
		}
		if gb == nil {
			gb = tp.Zeros(cols).Data()
		}
		k32.layerNormBwd(gx, gg, gb, out.Grad.Data(), x.Data(), gamma.Data(), mean.Data(), rstd.Data(), rows, cols)
	}, x, gamma, beta)
}
