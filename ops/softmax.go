package ops

import "github.com/diffuseq-go/diffuseq/autograd"

func init() {
	autograd.Register("softmax", "row-wise stable softmax over the last dim (fused backward)")
}

// softmaxBwd computes the gradient of y = softmax(x) per row:
// gx = y·(gy - Σ_j gy_j·y_j). It adds into gx when accumulate is set and
// overwrites otherwise; overwriting may run in place (gx and gy the same
// slice), which attention's backward uses.
func softmaxBwd[F Float](gx, y, gy []F, rows, cols int, accumulate bool) {
	forRows(rows, cols, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			yr, gyr, gxr := y[r*cols:(r+1)*cols], gy[r*cols:(r+1)*cols], gx[r*cols:(r+1)*cols]
			var dot F
			for j, v := range yr {
				dot += v * gyr[j]
			}
			for j, v := range yr {
				g := v * (gyr[j] - dot)
				if accumulate {
					gxr[j] += g
				} else {
					gxr[j] = g
				}
			}
		}
	})
}

// Softmax returns the softmax of x over its last dimension, subtracting
// each row's max for stability.
func Softmax(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
	rows, cols := lastDim("softmax", x.Shape())
	y := tp.Empty(x.Shape()...)
	k32.softmaxRows(y.Data(), x.Data(), rows, cols)
	return tp.Op("softmax", y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			softmaxBwd(gx, out.Data(), out.Grad.Data(), rows, cols, true)
		}
	}, x)
}
