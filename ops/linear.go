package ops

import (
	"fmt"
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("linear", "x·Wᵀ + b over the last dim (PyTorch nn.Linear)")
}

// linearFwd computes y = x·Wᵀ + b for rows×in x, out×in W (PyTorch's
// layout, so W is read transposed by the GEMM, never copied) and optional
// bias b (out).
func linearFwd[F Float](k *kernels[F], y, x, w, b []F, rows, in, out int) {
	k.gemm(false, true, rows, out, in, 1, x, in, w, in, 0, y, out) // (rows, out)
	if b == nil {
		return
	}
	forRows(rows, out, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			k.axpy(1, b, y[r*out:(r+1)*out]) // vectorised y_r += b
		}
	})
}

// linearBwd accumulates the gradients of y = x·Wᵀ + b; any of gx, gw, gb
// may be nil (not needed):
//
//	gx += gy·W      (rows, in)
//	gw += gyᵀ·x     (out, in)
//	gb += Σrows gy  (out)
//
// With setX, gx is a fresh buffer and the GEMM writes it (beta 0) instead
// of reading and adding.
func linearBwd[F Float](k *kernels[F], gx, gw, gb, gy, x, w []F, rows, in, out int, setX bool) {
	if gx != nil {
		beta := F(1)
		if setX {
			beta = 0
		}
		k.gemm(false, false, rows, in, out, 1, gy, out, w, in, beta, gx, in)
	}
	if gw != nil {
		k.gemm(true, false, out, in, rows, 1, gy, out, x, in, 1, gw, in)
	}
	if gb != nil {
		colSums(k, gb, gy, rows, out)
	}
}

// colSums accumulates dst[j] += Σ_r src[r·cols+j], a row at a time with
// the vector axpy (1·x + y is exact, so this is the plain sum). Workers
// split the columns, so each sum runs in the same order whatever the
// thread count.
func colSums[F Float](k *kernels[F], dst, src []F, rows, cols int) {
	forRows(cols, rows, func(lo, hi int) {
		d := dst[lo:hi]
		for r := 0; r < rows; r++ {
			k.axpy(1, src[r*cols+lo:r*cols+hi], d)
		}
	})
}

// Linear returns x·Wᵀ + b, PyTorch's nn.Linear: x is (..., in) (leading
// dims are flattened, so (B, T, C) inputs work directly), w is (out, in)
// and b is (out) or nil. The lm_head tied to the word embedding is
// Linear(h, E, bias) with E the (V, C) embedding Var itself.
func Linear(tp *autograd.Tape, x, w, b *autograd.Var) *autograd.Var {
	xs, ws := x.Shape(), w.Shape()
	rows, in := lastDim("linear", xs)
	if len(ws) != 2 || ws[1] != in || (b != nil && !slices.Equal(b.Shape(), ws[:1])) {
		bs := "nil"
		if b != nil {
			bs = fmt.Sprint(b.Shape())
		}
		panic(fmt.Sprintf("ops.linear: x %v, weight %v, bias %s: want x (..., in), weight (out, in), bias (out)", xs, ws, bs))
	}
	out := ws[0]
	ys := append(slices.Clone(xs[:len(xs)-1]), out)
	y := tp.Empty(ys...)
	var bd []float32
	if b != nil {
		bd = b.Data()
	}
	linearFwd(k32, y.Data(), x.Data(), w.Data(), bd, rows, in, out)
	inputs := []*autograd.Var{x, w, b}
	if b == nil {
		inputs = inputs[:2]
	}
	return tp.OpOutputUnread("linear", y, func(o *autograd.Var) { // reads x, w and o.Grad, never y
		var gb []float32
		if b != nil {
			gb = tp.Grad(b)
		}
		gx, fresh := tp.GradInit(x)
		linearBwd(k32, gx, tp.Grad(w), gb, o.Grad.Data(), x.Data(), w.Data(), rows, in, out, fresh)
	}, inputs...)
}
