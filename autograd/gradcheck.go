package autograd

import (
	"fmt"
	"math"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// GradCheck compares the tape gradient of a scalar loss with central
// differences, (L(p+h) - L(p-h)) / 2h, at up to n elements of each
// parameter (all of them when n ≤ 0 or the parameter is small), picked
// with rng. It is the float32 smoke check a model author runs on a whole
// network; the exact float64 checks of every op live in package ops.
//
// build must build the loss on the tape it is given and be deterministic
// (fixed dropout seeds). GradCheck resets tp, overwrites the parameters'
// gradients, and restores every perturbed value. It returns the worst
// error |analytic - numeric| / max(|analytic|, |numeric|, floor), with
// floor = 1e-2·max|numeric| so that tiny gradients do not dominate, and a
// description of where it occurred.
func GradCheck(tp *Tape, build func(tp *Tape) *Var, params Params, h float32, n int, rng *tensor.RNG) (worst float64, where string) {
	params.ZeroGrad()
	tp.Reset()
	tp.Backward(build(tp))
	type probe struct {
		p        *Var
		i        int
		analytic float64
		numeric  float64
	}
	var probes []probe
	prev := tp.SetGrad(false)
	defer tp.SetGrad(prev)
	loss := func() float64 {
		tp.Reset()
		return float64(build(tp).Item())
	}
	maxNum := 0.0
	for _, p := range params {
		d := p.Data()
		idx := make([]int, 0, len(d))
		if n <= 0 || len(d) <= n {
			for i := range d {
				idx = append(idx, i)
			}
		} else {
			for range n {
				idx = append(idx, rng.Intn(len(d)))
			}
		}
		for _, i := range idx {
			old := d[i]
			d[i] = old + h
			lp := loss()
			d[i] = old - h
			lm := loss()
			d[i] = old
			num := (lp - lm) / (2 * float64(h))
			maxNum = math.Max(maxNum, math.Abs(num))
			probes = append(probes, probe{p, i, float64(p.Grad.Data()[i]), num})
		}
	}
	floor := math.Max(1e-2*maxNum, 1e-6)
	for _, pr := range probes {
		e := math.Abs(pr.analytic-pr.numeric) / math.Max(math.Max(math.Abs(pr.analytic), math.Abs(pr.numeric)), floor)
		if e > worst || math.IsNaN(e) {
			worst = e
			where = fmt.Sprintf("%s[%d]: analytic %.6g, numeric %.6g", pr.p.Name, pr.i, pr.analytic, pr.numeric)
		}
	}
	return worst, where
}
