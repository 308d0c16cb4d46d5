package ops

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("sum", "sum over the trailing dims after the first keep dims")
	autograd.Register("mean", "mean over the trailing dims after the first keep dims")
}

// reduceFwd writes y[r] = scale·Σ_j x[r·n+j] for rows×n x. The sum runs in
// float64 so long reductions (a whole batch's loss) keep their digits.
func reduceFwd[F Float](y, x []F, rows, n int, scale float64) {
	forRows(rows, n, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			var s float64
			for _, v := range x[r*n : (r+1)*n] {
				s += float64(v)
			}
			y[r] = F(s * scale)
		}
	})
}

// reduceBwd accumulates gx[r·n+j] += scale·gy[r]: d(scale·Σx)/dx = scale.
func reduceBwd[F Float](gx, gy []F, rows, n int, scale float64) {
	forRows(rows, n, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			g := F(scale) * gy[r]
			for j := range gx[r*n : (r+1)*n] {
				gx[r*n+j] += g
			}
		}
	})
}

// Sum reduces x over every dimension after the first keep ones: keep=0
// gives a scalar (shape []), keep=1 on (B, T, C) gives (B).
func Sum(tp *autograd.Tape, x *autograd.Var, keep int) *autograd.Var {
	return reduce(tp, "sum", x, keep, false)
}

// Mean is Sum divided by the number of elements reduced (DiffuSeq's
// mean_flat is Mean(x, 1)).
func Mean(tp *autograd.Tape, x *autograd.Var, keep int) *autograd.Var {
	return reduce(tp, "mean", x, keep, true)
}

func reduce(tp *autograd.Tape, op string, x *autograd.Var, keep int, mean bool) *autograd.Var {
	xs := x.Shape()
	if keep < 0 || keep > len(xs) {
		panic(fmt.Sprintf("ops.%s: keep=%d dims of shape %v", op, keep, xs))
	}
	rows, n := numel(xs[:keep]), numel(xs[keep:])
	scale := 1.0
	if mean {
		if n == 0 {
			panic(fmt.Sprintf("ops.%s: mean over an empty dimension of %v", op, xs))
		}
		scale = 1 / float64(n)
	}
	y := tp.Empty(xs[:keep]...)
	reduceFwd(y.Data(), x.Data(), rows, n, scale)
	return tp.Op(op, y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			reduceBwd(gx, out.Grad.Data(), rows, n, scale)
		}
	}, x)
}
