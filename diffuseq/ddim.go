package diffuseq

import (
	"math"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// DDIMSampleFromOutput is the reference's ddim_sample (3.10) given the
// network output at x_t, in float32 with float32 schedule values:
//
//	x̂_0 = denoised(f)                                   (rounding every step)
//	ε̂   = (√(1/ᾱ_t)·x_t − x̂_0) / √(1/ᾱ_t − 1)
//	σ   = η·√((1−ᾱ_{t−1})/(1−ᾱ_t))·√(1 − ᾱ_t/ᾱ_{t−1})
//	x   = √ᾱ_{t−1}·x̂_0 + √(1 − ᾱ_{t−1} − σ²)·ε̂ + [t > 0]·σ·z
//	x[j] = XStart[j] where Mask[j] = 0
//
// [quirk] ᾱ_{t−1} is the immediate predecessor of t, whatever gap the loop
// uses — this is the reference's behaviour, kept for reproduction; use a
// respaced process (Respace) for a consistent fast sampler. z is drawn
// from opt.Noise only when η·[t > 0] ≠ 0 (with the decoder's η = 0 no noise
// enters); opt.TopP and opt.ClampStep are ignored, as in the reference.
func (d *Diffusion) DDIMSampleFromOutput(modelOutput, xT *tensor.Tensor, t int, eta float64, opt *SampleOptions) StepOutput {
	b, l, dim := dims3("DDIMSample", xT)
	ts := fill(t, b)
	mv := d.PMeanVariance(modelOutput, xT, ts, opt.DenoisedFn, opt.ClipDenoised)
	eps := d.PredictEpsFromXStart(xT, mv.PredXStart, ts).Data()
	ab, abPrev := at32(d.AlphasCumprod, t), at32(d.AlphasCumprodPrev, t)
	sigma := float32(eta) * sqrt32((1-abPrev)/(1-ab)) * sqrt32(1-ab/abPrev)
	c0, cEps := sqrt32(abPrev), sqrt32(1-abPrev-float32(sigma*sigma))
	out := tensor.New(b, l, dim)
	x, x0 := out.Data(), mv.PredXStart.Contiguous().Data()
	for k := range x {
		x[k] = float32(x0[k]*c0) + float32(cEps*eps[k])
	}
	mean := out.Clone()
	if t > 0 && sigma != 0 {
		z := StepNoise(opt.Noise, xT.Shape(), 0).Data()
		for k := range x {
			x[k] += float32(sigma * z[k])
		}
	}
	reimposeSource("DDIMSample", out, opt, b, l, dim)
	return StepOutput{T: t, ModelOutput: modelOutput, PredXStart: mv.PredXStart, Mean: mean, Sample: out}
}

// DDIMSteps lists the steps the reference's ddim_sample_loop visits:
// K−1, K−1−gap, K−1−2·gap, … ≥ 0 (with an even gap and odd K, t = 0 is
// never reached).
func DDIMSteps(k, gap int) []int {
	if gap < 1 {
		gap = 1
	}
	var steps []int
	for t := k - 1; t >= 0; t -= gap {
		steps = append(steps, t)
	}
	return steps
}

// DDIMSampleLoop is the reference's ddim_sample_loop as sample_seq2seq.py
// runs it when --step < diffusion_steps: gap = ⌊K/step⌋, η = 0 there,
// rounding with opt.DenoisedFn at every visited step. [quirk] see
// DDIMSampleFromOutput.
func (d *Diffusion) DDIMSampleLoop(model Denoiser, xT *tensor.Tensor, gap int, eta float64, opt *SampleOptions, each func(StepOutput)) *tensor.Tensor {
	x := xT
	b, _, _ := dims3("DDIMSampleLoop", xT)
	for _, t := range DDIMSteps(d.NumTimesteps, gap) {
		out := model.PredictXStart(x, d.ModelTimesteps(fill(t, b)))
		step := d.DDIMSampleFromOutput(out, x, t, eta, opt)
		if each != nil {
			each(step)
		}
		x = step.Sample
	}
	return x
}

// sqrt32 is torch.sqrt on a float32 value (correctly rounded).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
