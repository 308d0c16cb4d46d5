package ops

import (
	"math"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("tanh", "tanh(x)")
	autograd.Register("silu", "x·σ(x) (the timestep MLP)")
	autograd.Register("gelu", "x·Φ(x), erf form as in BERT (fused backward)")
}

// tanhBwd accumulates gx += gy·(1 - y²), the derivative of y = tanh(x)
// written in terms of the output.
func tanhBwd[F Float](gx, y, gy []F) {
	forRows(len(gx), 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			gx[i] += gy[i] * (1 - y[i]*y[i])
		}
	})
}

// siluBwd accumulates gx += gy·σ(x)·(1 + x·(1-σ(x))), the derivative of
// x·σ(x).
func siluBwd[F Float](gx, x, gy []F) {
	forRows(len(gx), 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			s := F(1 / (1 + math.Exp(-float64(x[i]))))
			gx[i] += gy[i] * s * (1 + x[i]*(1-s))
		}
	})
}

// Tanh returns tanh(x) element-wise.
func Tanh(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
	y := tp.Empty(x.Shape()...)
	k32.tanh(y.Data(), x.Data())
	return tp.Op("tanh", y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			tanhBwd(gx, out.Data(), out.Grad.Data())
		}
	}, x)
}

// SiLU returns x·σ(x) element-wise (PyTorch's nn.SiLU).
func SiLU(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
	y := tp.Empty(x.Shape()...)
	k32.silu(y.Data(), x.Data())
	return tp.Op("silu", y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			siluBwd(gx, x.Data(), out.Grad.Data())
		}
	}, x)
}

// GELU returns x·Φ(x) with the exact normal CDF Φ (erf form), as BERT's
// feed-forward uses; the backward is the fused kernel Φ(x) + x·φ(x).
func GELU(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
	y := tp.Empty(x.Shape()...)
	k32.gelu(y.Data(), x.Data())
	return tp.Op("gelu", y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			k32.geluBwd(gx, x.Data(), out.Grad.Data())
		}
	}, x)
}
