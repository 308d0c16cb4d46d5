package ops

import (
	"fmt"
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("mse", "per-example mean squared error (mean over all dims but the first)")
}

// mseFwd writes y[b] = mean_j (a[b,j] - t[b,j])² over the n elements of
// each of the rows examples, summing in float64.
func mseFwd[F Float](y, a, t []F, rows, n int) {
	forRows(rows, n, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			var s float64
			for j := r * n; j < (r+1)*n; j++ {
				d := float64(a[j] - t[j])
				s += d * d
			}
			y[r] = F(s / float64(n))
		}
	})
}

// mseBwd accumulates ga += sign·gy[b]·2(a-t)/n: the gradient with respect
// to the prediction (sign +1) or the target (sign -1).
func mseBwd[F Float](ga, gy, a, t []F, rows, n int, sign F) {
	forRows(rows, n, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			g := sign * 2 * gy[r] / F(n)
			for j := r * n; j < (r+1)*n; j++ {
				ga[j] += g * (a[j] - t[j])
			}
		}
	})
}

// MSE returns mean((pred - target)²) per example: both (B, ...), result
// (B). This is DiffuSeq's mean_flat((target - model_output)²). Both
// operands may need gradients (DiffuSeq's target x_start is itself a
// function of the embedding).
func MSE(tp *autograd.Tape, pred, target *autograd.Var) *autograd.Var {
	ps := pred.Shape()
	if len(ps) == 0 || !slices.Equal(ps, target.Shape()) {
		panic(fmt.Sprintf("ops.mse: pred %v and target %v: want equal shapes (B, ...)", ps, target.Shape()))
	}
	rows, n := ps[0], numel(ps[1:])
	y := tp.Empty(rows)
	mseFwd(y.Data(), pred.Data(), target.Data(), rows, n)
	return tp.Op("mse", y, func(out *autograd.Var) {
		gy := out.Grad.Data()
		if g := tp.Grad(pred); g != nil {
			mseBwd(g, gy, pred.Data(), target.Data(), rows, n, 1)
		}
		if g := tp.Grad(target); g != nil {
			mseBwd(g, gy, pred.Data(), target.Data(), rows, n, -1)
		}
	}, pred, target)
}
