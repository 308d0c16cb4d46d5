package diffuseq

import (
	"fmt"
	"math"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// DPMSolverOptions configure DPMSolverLoop.
type DPMSolverOptions struct {
	// Steps K' ≥ 1 is the number of solver steps = network evaluations
	// (the v2 scripts use 10–20; 5–50 is the useful range).
	Steps int
	// ReferenceQuirks reproduces the v2 script bit for bit in method
	// (6.7): the solver state is replaced by the data prediction after
	// every evaluation, the network is queried at 1000·t (no −1/K
	// offset) and x_T gets no absorbing-state shift. Off (the default) is
	// the standard DPM-Solver++(2M) on x − m. See docs/samplers.md.
	ReferenceQuirks bool
}

// DPMSolverUpdate is one multistep DPM-Solver++ update in data-prediction
// form (Lu et al. 2022, "dpmsolver++", solver_type "dpmsolver") from time
// s (state y_s, data prediction D_s) to time t, with h = λ(t) − λ(s) and
// φ = e^{−h} − 1:
//
//	order 1: y_t = (σ_t/σ_s)·y_s − α_t·φ·D_s
//	order 2: y_t = (σ_t/σ_s)·y_s − α_t·φ·D_s − ½·α_t·φ·(D_s − D_p)/r,
//	         r = (λ(s) − λ(p))/h, p the time before s
//
// It returns the float64 coefficients (cY, cD, cDiff) of
// y_t = cY·y_s + cD·D_s + cDiff·(D_s − D_p); cDiff = 0 for order 1.
func DPMSolverUpdate(vp *VPSchedule, p, s, t float64, order int) (cY, cD, cDiff float64) {
	h := vp.Lambda(t) - vp.Lambda(s)
	phi := math.Expm1(-h)
	alphaT := vp.Alpha(t)
	cY = vp.Sigma(t) / vp.Sigma(s)
	cD = -alphaT * phi
	if order == 2 {
		r := (vp.Lambda(s) - vp.Lambda(p)) / h
		cDiff = -0.5 * alphaT * phi / r
	}
	return cY, cD, cDiff
}

// DPMSolverOrder is the order used at step k = 1..steps of the multistep
// loop (lower_order_final with steps < 10, as the v2 script): the first
// step is first order (one prediction only); with fewer than 10 steps the
// last one is too.
func DPMSolverOrder(k, steps int) int {
	if k == 1 {
		return 1
	}
	if steps < 10 {
		return min(2, steps+1-k)
	}
	return 2
}

// DPMSolverLoop runs DPM-Solver++(2M) on this (base, not respaced)
// process from xT at t = 1 to t = 1/K on the time-uniform grid, with
// o.Steps network evaluations, and returns the state at t = 1/K (no
// final denoising step, as the reference: denoise_to_zero false). The
// network's x_0 prediction is the solver's data prediction D; no rounding,
// clamping or thresholding is applied (as the reference). With
// opt.MeanEmbed the solver runs on y = x − m (the v2 forward process is the
// v1 one on y); the source is re-imposed after every update (opt.Mask,
// opt.XStart). each, if not nil, sees every step: T is the nearest
// original index of the time just reached, ModelOutput the network output
// at the previous time, Sample the new state.
//
// xT: (B, L, d). With ReferenceQuirks the caller must also start from the
// unshifted DecodingStart, as the reference does (Decode does this).
func (d *Diffusion) DPMSolverLoop(model Denoiser, xT *tensor.Tensor, o DPMSolverOptions, opt *SampleOptions, each func(StepOutput)) *tensor.Tensor {
	b, l, dim := dims3("DPMSolverLoop", xT)
	if o.Steps < 1 {
		panic(fmt.Sprintf("diffuseq.DPMSolverLoop: %d steps", o.Steps))
	}
	m := opt.MeanEmbed
	if o.ReferenceQuirks {
		m = nil // the v2 DPM script never shifts by mean_embed
	}
	checkMeanEmbed("DPMSolverLoop", m, dim)
	vp := d.VPSchedule()
	grid := vp.TimeUniform(o.Steps)
	tau := func(t float64) []float32 {
		v := vp.ModelTime(t, d.RescaleTimesteps)
		if o.ReferenceQuirks {
			v = vp.ModelTimeReference(t)
		}
		ts := make([]float32, b)
		for i := range ts {
			ts[i] = v
		}
		return ts
	}
	// predict returns the network output and D − m with the source re-imposed.
	predict := func(x *tensor.Tensor, t float64) (*tensor.Tensor, *tensor.Tensor) {
		f := model.PredictXStart(x, tau(t))
		sameShape("DPMSolverLoop", f, x)
		dm := f.Contiguous().Clone()
		reimposeSource("DPMSolverLoop", dm, opt, b, l, dim)
		return f, shifted(dm, m)
	}
	x := xT.Contiguous().Clone()
	reimposeSource("DPMSolverLoop", x, opt, b, l, dim)
	y := shifted(x, m)
	f, dCur := predict(x, grid[0])
	var dPrev *tensor.Tensor
	for k := 1; k <= o.Steps; k++ {
		order := DPMSolverOrder(k, o.Steps)
		var p float64
		if order == 2 {
			p = grid[k-2]
		}
		cY, cD, cDiff := DPMSolverUpdate(vp, p, grid[k-1], grid[k], order)
		state := y
		if o.ReferenceQuirks {
			state = dCur // [quirk] the state is the latest data prediction
		}
		y = dpmCombine(state, dCur, dPrev, cY, cD, cDiff)
		x = y.Clone()
		unshift(x, m)
		reimposeSource("DPMSolverLoop", x, opt, b, l, dim)
		y = shifted(x, m)
		step := StepOutput{T: nearestIndex(grid[k], vp.K), ModelOutput: f, Sample: x}
		step.PredXStart = dCur.Clone()
		unshift(step.PredXStart, m)
		if each != nil {
			each(step)
		}
		if k < o.Steps {
			dPrev = dCur
			f, dCur = predict(x, grid[k])
		}
	}
	return x
}

// dpmCombine is y_t = cY·y_s + cD·D_s + cDiff·(D_s − D_p) in float32 with
// float32-cast coefficients (dPrev may be nil when cDiff = 0).
func dpmCombine(y, dCur, dPrev *tensor.Tensor, cY, cD, cDiff float64) *tensor.Tensor {
	out := tensor.New(y.Shape()...)
	o, ys, ds := out.Data(), y.Contiguous().Data(), dCur.Contiguous().Data()
	fy, fd, fdiff := float32(cY), float32(cD), float32(cDiff)
	if cDiff == 0 {
		for k := range o {
			o[k] = float32(fy*ys[k]) + float32(fd*ds[k])
		}
		return out
	}
	ps := dPrev.Contiguous().Data()
	for k := range o {
		o[k] = float32(fy*ys[k]) + float32(fd*ds[k]) + float32(fdiff*(ds[k]-ps[k]))
	}
	return out
}

// nearestIndex maps continuous t to the nearest discrete step n (t_n = (n+1)/K).
func nearestIndex(t float64, k int) int {
	return max(0, min(k-1, int(math.Round(t*float64(k)))-1))
}
