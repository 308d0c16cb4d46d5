package generate

import (
	"context"
	"fmt"
	"strconv"

	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// plan is the sampler one Generate call runs: a process and the step
// indices of that process to visit, in order.
type plan struct {
	d     *diffuseq.Diffusion
	steps []int // indices of d, descending
	ddim  bool

	// A named sampler (Options.Sampler) runs through
	// diffuseq.SampleWith on the trained process instead; d is then the
	// process it steps on (for the trace labels) and n its step count.
	sampler diffuseq.Sampler
	n       int
}

// stepCount is the number of reverse steps (network evaluations) the
// plan takes per batch.
func (p plan) stepCount() int {
	if p.sampler != diffuseq.SamplerReference {
		return p.n
	}
	return len(p.steps)
}

// Steps is the number of reverse steps (network evaluations) each batch
// takes with opt, or the error Generate would give for opt's sampler
// settings.
func (g *Generator) Steps(opt Options) (int, error) {
	p, err := g.makePlan(opt)
	if err != nil {
		return 0, err
	}
	return p.stepCount(), nil
}

// makePlan turns Options into a plan on the trained process g.diffusion
// (K steps): the full ancestral loop, an ancestral loop on the respaced
// process, or the reference's DDIM visits with gap ⌊K/N⌋.
func (g *Generator) makePlan(opt Options) (plan, error) {
	d := g.diffusion
	k := d.NumTimesteps
	if opt.Steps < 0 || opt.Steps > k {
		return plan{}, fmt.Errorf("steps %d outside [0, %d] (0 = all %d steps of the trained process)", opt.Steps, k, k)
	}
	if opt.DenoiseRate != 0 {
		switch {
		case !(opt.DenoiseRate > 0 && opt.DenoiseRate <= 1):
			return plan{}, fmt.Errorf("denoise rate %v outside (0, 1]", opt.DenoiseRate)
		case g.meanEmbed == nil:
			return plan{}, fmt.Errorf("denoise rate %v needs a DiffuSeq-v2 model (a learned mean_embed); this one has none", opt.DenoiseRate)
		case opt.DDIM || opt.Sampler != diffuseq.SamplerReference && opt.Sampler != diffuseq.SamplerAncestral:
			return plan{}, fmt.Errorf("denoise rate applies to the ancestral samplers only (the reference decoder or %q)", diffuseq.SamplerAncestral)
		}
	}
	if opt.Sampler != diffuseq.SamplerReference {
		if opt.DDIM {
			return plan{}, fmt.Errorf("DDIM (the reference's --step path) and sampler %q exclude each other", opt.Sampler)
		}
		if _, err := diffuseq.ParseSampler(string(opt.Sampler)); err != nil {
			return plan{}, err
		}
		pd, n, err := d.SamplerPlan(opt.Sampler, opt.Steps)
		if err != nil {
			return plan{}, err
		}
		return plan{d: pd, sampler: opt.Sampler, n: n}, nil
	}
	if opt.DDIM {
		if g.meanEmbed != nil {
			return plan{}, fmt.Errorf("the reference's DDIM path does not exist for DiffuSeq-v2 models (the v2 branch deleted it); use the ddim sampler")
		}
		if opt.Steps == 0 || opt.Steps == k {
			return plan{}, fmt.Errorf("DDIM needs steps N < %d (with N = %d the reference runs the ancestral loop)", k, k)
		}
		return plan{d: d, steps: diffuseq.DDIMSteps(k, k/opt.Steps), ddim: true}, nil
	}
	if opt.Steps != 0 && opt.Steps != k {
		keep, err := diffuseq.SpaceTimesteps(k, strconv.Itoa(opt.Steps))
		if err != nil {
			return plan{}, err
		}
		if d, err = d.Respace(keep); err != nil {
			return plan{}, fmt.Errorf("steps %d: %w", opt.Steps, err)
		}
	}
	steps := make([]int, d.NumTimesteps)
	for i := range steps {
		steps[i] = d.NumTimesteps - 1 - i
	}
	return plan{d: d, steps: steps}, nil
}

// batch is one decoding batch: B rows of length L.
type batch struct {
	ids, mask []int // (B, L)
	b, l      int
}

// decodeBatch runs the reference decoder on one batch (reference 5.1 step
// 5), checking ctx before every reverse step:
//
//	x_start = E[w];  x_T = where(mask = 0, x_start, N(0, I))   (+ m for v2)
//	for t in plan: x = PSample (rounding iff t ≥ ClampStep) or DDIM (η = 0)
//	               (or a named sampler: sampleWith)
//	tokens = argmax(x·Eᵀ + b)                                    (B, L)
//
// frame, if not nil, gets the read-out tokens (B, L) of x_T and of the
// state after every traceEvery-th step and after the last one, with the
// original timestep label. step, if not nil, is told the number of
// steps done after each one.
func (g *Generator) decodeBatch(ctx context.Context, model diffuseq.Denoiser, p plan, bt batch, opt Options, rng diffuseq.Normal,
	frame func(t int, tokens []int), step func(n int)) ([]int, error) {
	xStart := g.rounder.Embed(bt.ids, bt.b, bt.l) // (B, L, d)
	noise := tensor.New(xStart.Shape()...)
	rng.FillNormal(noise.Data(), 0, 1)
	m := g.meanEmbed
	if p.sampler == diffuseq.SamplerDPMSolverReference {
		m = nil // [quirk] the v2 solver script starts without the shift
	}
	x := diffuseq.AbsorbingStart(xStart, noise, bt.mask, m) // DecodingStart for v1
	so := &diffuseq.SampleOptions{DenoisedFn: g.rounder.DenoisedFnMasked(bt.mask), TopP: opt.TopP, ClampStep: opt.ClampStep,
		ClampFirst: true, Mask: bt.mask, XStart: xStart, Noise: rng, MeanEmbed: g.meanEmbed, DenoiseRate: opt.DenoiseRate}
	if frame != nil {
		tokens := readOut(x, g.emb, g.bias)
		frame(p.d.OriginalNumSteps, tokens)
	}
	if p.sampler != diffuseq.SamplerReference {
		return g.sampleWith(ctx, model, p, x, so, opt, frame, step)
	}
	for n, t := range p.steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var out diffuseq.StepOutput
		if p.ddim {
			f := model.PredictXStart(x, p.d.ModelTimesteps(fill(t, bt.b)))
			out = p.d.DDIMSampleFromOutput(f, x, t, 0, so)
		} else {
			var fn diffuseq.DenoisedFn
			if t >= opt.ClampStep { // clamp_first = true (reference 3.8)
				fn = so.DenoisedFn
			}
			out = p.d.PSample(model, x, t, fn, so)
		}
		x = out.Sample
		if frame != nil && ((n+1)%opt.TraceEvery == 0 || n == len(p.steps)-1) {
			tokens := readOut(x, g.emb, g.bias)
			frame(p.d.TimestepMap[t], tokens)
		}
		if step != nil {
			step(n + 1)
		}
	}
	tokens := readOut(x, g.emb, g.bias)
	return tokens, nil
}

func fill(t, n int) []int {
	ts := make([]int, n)
	for i := range ts {
		ts[i] = t
	}
	return ts
}
