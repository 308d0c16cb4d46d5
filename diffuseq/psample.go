package diffuseq

import (
	"fmt"
	"math"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// SampleOptions are the knobs of the reference's p_sample_loop as
// sample_seq2seq.py calls it (the defaults there: rounding at every step,
// no clipping, no top_p, clamp_step 0, clamp_first true).
type SampleOptions struct {
	DenoisedFn   DenoisedFn // rounding (Rounder.DenoisedFn) or nil
	ClipDenoised bool       // clamp x̂_0 to [−1, 1] (reference default false)

	// TopP > 0 truncates the step noise to |z| ≤ TopP by redrawing the
	// offending entries (3.9; not nucleus sampling). ≤ 0: plain N(0, I).
	TopP float64

	// ClampStep and ClampFirst decide at which steps DenoisedFn runs
	// (3.8): with ClampFirst, at step i iff i ≥ ClampStep (ClampStep 0 =
	// every step); without, iff i ≤ ClampStep.
	ClampStep  int
	ClampFirst bool

	Mask   []int          // (B, L) 0 = source, re-imposed from XStart after every step; nil = none
	XStart *tensor.Tensor // (B, L, d) clean embeddings E[w] of the input (needed with Mask)
	Noise  Normal         // source of the step noise z

	// MeanEmbed is DiffuSeq-v2's absorbing state m (d), or nil for v1.
	// With it every sampler works on x − m (absorbing.go), so the
	// ancestral mean is c1·x̂_0 + c2·x_t + (1 − c1 − c2)·m.
	MeanEmbed []float32
	// DenoiseRate λ > 0 (with MeanEmbed) adds v2's sampling-time discrete
	// noise to the ancestral step (6.6): after a step with t > 0, each
	// position is replaced by m with probability λ·√v_t (absorbing.go).
	DenoiseRate float64
}

// StepOutput is what one reverse step produced (for callers that keep
// intermediates, and for step-by-step comparison with the reference).
type StepOutput struct {
	T           int            // step index of this process
	ModelOutput *tensor.Tensor // (B, L, d) f_θ(x_t, τ)
	PredXStart  *tensor.Tensor // (B, L, d) x̂_0 after rounding/clamping
	Mean        *tensor.Tensor // (B, L, d) posterior mean (DDPM) or the deterministic DDIM update
	Sample      *tensor.Tensor // (B, L, d) x_{t−1} with the source re-imposed
}

// roundsAt reports whether DenoisedFn applies at step i (3.8).
func (o *SampleOptions) roundsAt(i int) bool {
	if o.ClampFirst {
		return i >= o.ClampStep
	}
	return i <= o.ClampStep
}

// StepNoise draws the reverse-step noise z (B·L·d values) from src: plain
// N(0, 1), or with topP > 0 a truncated normal obtained the reference's
// way — draw everything, then redraw (in index order) every entry with
// |z| > topP until none is left.
func StepNoise(src Normal, shape []int, topP float64) *tensor.Tensor {
	if src == nil {
		panic("diffuseq.StepNoise: no noise source (SampleOptions.Noise is nil)")
	}
	z := tensor.New(shape...)
	data := z.Data()
	fillNormal(src, data)
	if topP <= 0 {
		return z
	}
	var bad []int
	var redraw []float32
	for {
		bad = bad[:0]
		for k, v := range data {
			if math.Abs(float64(v)) > topP {
				bad = append(bad, k)
			}
		}
		if len(bad) == 0 {
			return z
		}
		redraw = append(redraw[:0], make([]float32, len(bad))...)
		src.FillNormal(redraw, 0, 1)
		for i, k := range bad {
			data[k] = redraw[i]
		}
	}
}

// PSampleFromOutput is one ancestral step (reference p_sample) given the
// network output at x_t:
//
//	x̂_0, μ  = PMeanVariance(f, x_t, t)          (on x − m with opt.MeanEmbed)
//	x_{t−1} = μ + [t > 0]·exp(½ ln v_t)·z        z = StepNoise
//	x_{t−1}[j] = XStart[j] where Mask[j] = 0     (source re-imposed)
//
// All batch entries are at the same step t (as in the reference's loop),
// so it takes one int. denoised overrides opt.DenoisedFn (the loop passes
// nil on steps that do not round). Noise is drawn only when t > 0.
func (d *Diffusion) PSampleFromOutput(modelOutput, xT *tensor.Tensor, t int, denoised DenoisedFn, opt *SampleOptions) StepOutput {
	b, l, dim := dims3("PSample", xT)
	ts := fill(t, b)
	mv := d.PMeanVariance(modelOutput, xT, ts, denoised, opt.ClipDenoised)
	if opt.MeanEmbed != nil {
		checkMeanEmbed("PSample", opt.MeanEmbed, dim)
		mv.Mean = d.QPosteriorMean(shifted(mv.PredXStart, opt.MeanEmbed), shifted(xT, opt.MeanEmbed), ts)
		unshift(mv.Mean, opt.MeanEmbed)
	}
	sample := mv.Mean.Clone()
	if t > 0 {
		z := StepNoise(opt.Noise, xT.Shape(), opt.TopP).Data()
		s := sample.Data()
		std := float32(math.Exp(float64(0.5 * mv.LogVariance[0])))
		for k := range s {
			s[k] += float32(std * z[k])
		}
		if opt.DenoiseRate > 0 && opt.MeanEmbed != nil {
			absorb(sample, opt, float64(std)*opt.DenoiseRate)
		}
	}
	reimposeSource("PSample", sample, opt, b, l, dim)
	return StepOutput{T: t, ModelOutput: modelOutput, PredXStart: mv.PredXStart, Mean: mv.Mean, Sample: sample}
}

// PSample runs the network at x_t and takes one ancestral step.
func (d *Diffusion) PSample(model Denoiser, xT *tensor.Tensor, t int, denoised DenoisedFn, opt *SampleOptions) StepOutput {
	b, _, _ := dims3("PSample", xT)
	out := model.PredictXStart(xT, d.ModelTimesteps(fill(t, b)))
	return d.PSampleFromOutput(out, xT, t, denoised, opt)
}

// PSampleLoop is the reference's p_sample_loop: start from xT (decoding
// passes where(mask = 0, E[w], N(0, I))), run t = K−1 down to 0 with
// rounding where opt says so, and return the final sample. At t = 0,
// c1 = 1, c2 = 0 and no noise is added, so the result is the (rounded) x̂_0
// on generated positions and the clean source elsewhere. each, if not nil,
// sees every step in loop order.
func (d *Diffusion) PSampleLoop(model Denoiser, xT *tensor.Tensor, opt *SampleOptions, each func(StepOutput)) *tensor.Tensor {
	x := xT
	for i := d.NumTimesteps - 1; i >= 0; i-- {
		var fn DenoisedFn
		if opt.roundsAt(i) {
			fn = opt.DenoisedFn
		}
		step := d.PSample(model, x, i, fn, opt)
		if each != nil {
			each(step)
		}
		x = step.Sample
	}
	return x
}

// reimposeSource sets x[j] = opt.XStart[j] wherever opt.Mask[j] = 0.
func reimposeSource(op string, x *tensor.Tensor, opt *SampleOptions, b, l, dim int) {
	if opt.Mask == nil {
		return
	}
	checkMask(op, opt.Mask, b, l)
	if opt.XStart == nil {
		panic(fmt.Sprintf("diffuseq.%s: SampleOptions.Mask is set but XStart is nil", op))
	}
	sameShape(op, x, opt.XStart)
	src, dst := opt.XStart.Contiguous().Data(), x.Data()
	for j, m := range opt.Mask {
		if m == 0 {
			copy(dst[j*dim:(j+1)*dim], src[j*dim:(j+1)*dim])
		}
	}
}

func fill(t, n int) []int {
	ts := make([]int, n)
	for i := range ts {
		ts[i] = t
	}
	return ts
}

// DecodingStart is the decoder's starting point x_T (sample_seq2seq.py):
// the clean source embeddings where mask = 0 and the given N(0, I) noise
// elsewhere. xStart, noise: (B, L, d); mask: (B, L).
func DecodingStart(xStart, noise *tensor.Tensor, mask []int) *tensor.Tensor {
	b, l, dim := dims3("DecodingStart", xStart)
	sameShape("DecodingStart", xStart, noise)
	out := noise.Clone()
	reimposeSource("DecodingStart", out, &SampleOptions{Mask: mask, XStart: xStart}, b, l, dim)
	return out
}

// fillNormal uses the worker pool when the source can fill in parallel
// with the same draws (tensor.RNG): drawn on one core, the step noise took
// about 6 % of a two-thread small sampling step's wall time (pprof).
func fillNormal(src Normal, x []float32) {
	if p, ok := src.(interface {
		FillNormalParallel(x []float32, mean, std float32)
	}); ok {
		p.FillNormalParallel(x, 0, 1)
		return
	}
	src.FillNormal(x, 0, 1)
}
