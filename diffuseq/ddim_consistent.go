package diffuseq

import (
	"math"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// DDIMStepFromOutput is one deterministic DDIM step (η = 0, Song et al.
// 2021) on this process, done consistently: from step t it moves to the
// noise level of the step this process visits next, ᾱ_prev =
// AlphasCumprodPrev[t]. On a respaced process (Respace) that is the
// previous *kept* step, so N visited steps form one consistent trajectory —
// unlike the reference's --step path (DDIMSampleFromOutput, 3.10), which
// always lands on the immediate predecessor of t whatever the gap.
//
// With y = x − m (m = opt.MeanEmbed, 0 for v1):
//
//	x̂_0 = denoised(f)                                  (nil: f)
//	ε̂   = (y_t − √ᾱ_t·(x̂_0 − m)) / √(1 − ᾱ_t)
//	y'  = √ᾱ_prev·(x̂_0 − m) + √(1 − ᾱ_prev)·ε̂
//	x'  = y' + m, source re-imposed where Mask = 0
//
// At t = 0 (ᾱ_prev = 1) the step returns x̂_0. The coefficients are
// float64 products cast once to float32: c_x = √(1−ᾱ_prev)/√(1−ᾱ_t)
// multiplies y_t and c_0 = √ᾱ_prev − c_x·√ᾱ_t multiplies x̂_0 − m, which
// is the same update with one rounding per coefficient.
func (d *Diffusion) DDIMStepFromOutput(modelOutput, xT *tensor.Tensor, t int, denoised DenoisedFn, opt *SampleOptions) StepOutput {
	b, l, dim := dims3("DDIMStep", xT)
	sameShape("DDIMStep", modelOutput, xT)
	d.checkStep("DDIMStep", t)
	checkMeanEmbed("DDIMStep", opt.MeanEmbed, dim)
	x0 := modelOutput
	if denoised != nil {
		x0 = denoised(x0, fill(t, b))
	}
	cX, c0 := ddimCoefs(d.AlphasCumprod[t], d.AlphasCumprodPrev[t])
	y, y0 := shifted(xT, opt.MeanEmbed).Contiguous().Data(), shifted(x0, opt.MeanEmbed).Contiguous().Data()
	out := tensor.New(b, l, dim)
	x := out.Data()
	fx, f0 := float32(cX), float32(c0)
	for k := range x {
		x[k] = float32(fx*y[k]) + float32(f0*y0[k])
	}
	unshift(out, opt.MeanEmbed)
	mean := out.Clone()
	reimposeSource("DDIMStep", out, opt, b, l, dim)
	return StepOutput{T: t, ModelOutput: modelOutput, PredXStart: x0, Mean: mean, Sample: out}
}

// ddimCoefs are the η = 0 DDIM coefficients from ᾱ_t to ᾱ_prev:
// y' = cX·y_t + c0·ŷ_0 with cX = √(1−ᾱ_prev)/√(1−ᾱ_t), c0 = √ᾱ_prev − cX·√ᾱ_t.
func ddimCoefs(ab, abPrev float64) (cX, c0 float64) {
	cX = math.Sqrt(1-abPrev) / math.Sqrt(1-ab)
	c0 = math.Sqrt(abPrev) - cX*math.Sqrt(ab)
	return cX, c0
}

// DDIMLoop runs the consistent DDIM sampler over every step of this
// process, K−1 down to 0; respace the process first (Respace,
// SpaceTimesteps) to run N < K steps. Rounding (opt.DenoisedFn) applies at
// the steps opt.ClampStep/ClampFirst select, as in PSampleLoop. each, if
// not nil, sees every step.
func (d *Diffusion) DDIMLoop(model Denoiser, xT *tensor.Tensor, opt *SampleOptions, each func(StepOutput)) *tensor.Tensor {
	x := xT
	b, _, _ := dims3("DDIMLoop", xT)
	for t := d.NumTimesteps - 1; t >= 0; t-- {
		var fn DenoisedFn
		if opt.roundsAt(t) {
			fn = opt.DenoisedFn
		}
		f := model.PredictXStart(x, d.ModelTimesteps(fill(t, b)))
		step := d.DDIMStepFromOutput(f, x, t, fn, opt)
		if each != nil {
			each(step)
		}
		x = step.Sample
	}
	return x
}
