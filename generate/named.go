package generate

import (
	"context"

	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// sampleWith runs a named sampler (diffuseq.SampleWith) from x_T. Those
// loops have no cancellation point of their own, so the network is
// wrapped: once ctx is done it stops evaluating and returns its input, the
// loop runs out its remaining (now cheap) updates, and the result is
// dropped for ctx.Err(). Traces and progress come from the per-step
// callback; trace labels map the step's index through the process's
// TimestepMap to the trained process's timestep.
func (g *Generator) sampleWith(ctx context.Context, model diffuseq.Denoiser, p plan, xT *tensor.Tensor, so *diffuseq.SampleOptions,
	opt Options, frame func(t int, tokens []int), step func(n int)) ([]int, error) {
	guarded := diffuseq.DenoiserFunc(func(x *tensor.Tensor, tau []float32) *tensor.Tensor {
		if ctx.Err() != nil {
			return x.Clone()
		}
		return model.PredictXStart(x, tau)
	})
	n := 0
	each := func(s diffuseq.StepOutput) {
		if ctx.Err() != nil {
			return
		}
		n++
		if frame != nil && (n%opt.TraceEvery == 0 || n == p.n) {
			frame(p.d.TimestepMap[s.T], readOut(s.Sample, g.emb, g.bias))
		}
		if step != nil {
			step(n)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	x, err := g.diffusion.SampleWith(guarded, xT, p.sampler, opt.Steps, so, each)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return readOut(x, g.emb, g.bias), nil
}
