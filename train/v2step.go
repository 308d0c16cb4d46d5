package train

import (
	"fmt"
	"math"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/optim"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/tensor"
	"github.com/diffuseq-go/diffuseq/text"
)

// V2Trainer is a Trainer with DiffuSeq-v2's training additions. Until the
// model owns mean_embed (see NewMeanEmbed), m lives here with an AdamW +
// EMA optimizer of its own, configured like the model's. Because AdamW
// and the EMA act per element, that is the same update as one optimizer
// over all parameters; only global gradient clipping would couple them,
// so it is refused.
type V2Trainer struct {
	*Trainer
	V2        V2Options
	MeanEmbed *autograd.Var    // (d) or nil without learned_mean_embed
	meanOpt   *optim.Optimizer // AdamW + EMA of MeanEmbed
	v2RNG     *tensor.RNG      // the discrete-noise draws (kept apart so v1 draws do not shift)
}

// NewV2 prepares a fresh v2 run (New plus mean_embed, initialised from
// its own stream of the seed).
func NewV2(cfg Config, o V2Options, tok text.Tokenizer) (*V2Trainer, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.LearnedMeanEmbed && cfg.GradientClipping > 0 {
		return nil, fmt.Errorf("gradient_clipping %v: not supported with learned_mean_embed until the model owns mean_embed (the clip norm must span every parameter)", cfg.GradientClipping)
	}
	tr, err := New(cfg, tok)
	if err != nil {
		return nil, err
	}
	v := &V2Trainer{Trainer: tr, V2: o, v2RNG: tensor.NewRNG(cfg.Seed ^ 0xd15c)}
	if o.LearnedMeanEmbed {
		v.MeanEmbed = NewMeanEmbed(tr.Model.Config.HiddenDim, tensor.NewRNG(cfg.Seed^0x3ea7))
		p := []optim.Param{{Name: MeanEmbedName, Value: v.MeanEmbed.Data(), Grad: v.MeanEmbed.Grad.Data()}}
		if v.meanOpt, err = optim.New(tr.Opt.Config(), p); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// Step runs one v2 optimisation step on the next training batch.
func (v *V2Trainer) Step() (StepResult, error) {
	db, err := v.train.Next()
	if err != nil {
		return StepResult{}, err
	}
	return v.StepOn(batchFrom(db))
}

// StepOn is Trainer.StepOn with LossFnV2 (same microbatching, loss-aware
// updates, AdamW and EMA), plus the update of mean_embed.
func (v *V2Trainer) StepOn(bt Batch) (StepResult, error) {
	tr := v.Trainer
	res := StepResult{Update: tr.step}
	autograd.Params(tr.Model.Params()).ZeroGrad()
	if v.MeanEmbed != nil {
		v.MeanEmbed.ZeroGrad()
	}
	for lo := 0; lo < bt.B; lo += tr.Cfg.Microbatch {
		mb := bt.sub(lo, min(lo+tr.Cfg.Microbatch, bt.B))
		t, w := diffuseq.SampleTimesteps(tr.sampler, mb.B, tr.noiseRNG)
		nz := V2Noise{Noise: DrawNoise(tr.noiseRNG, t, mb.B, mb.L, tr.Model.Config.HiddenDim)}
		if v.V2.Denoise {
			nz.Replace = drawReplace(v.v2RNG, tr.Diffusion, t, mb.B, mb.L, v.V2.DenoiseRate)
		}
		tr.tape.Reset()
		ls := LossFnV2(tr.tape, tr.Model, v.MeanEmbed, tr.Diffusion, mb, nz, v.V2, LossOptions{Train: true})
		loss := f64(ls.Loss.Data())
		for i, x := range loss {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return res, fmt.Errorf("loss is %v at update %d (example %d, t=%d): stopping", x, tr.step, lo+i, t[i])
			}
		}
		if tr.lossAware != nil {
			tr.lossAware.Update(t, loss)
		}
		tr.tape.Backward(Objective(tr.tape, ls.Loss, w))
		res.T, res.W = append(res.T, t...), append(res.W, f64(w)...)
		res.Loss = append(res.Loss, loss...)
		res.MSE = append(res.MSE, f64(ls.MSE)...)
		res.NLL = append(res.NLL, f64(ls.NLL)...)
		res.DNLL = append(res.DNLL, f64(ls.DecoderNLL)...)
		res.TT = append(res.TT, f64(ls.TTLoss)...)
	}
	tr.tape.Reset()
	st := tr.Opt.Step()
	res.GradNorm, res.LR = st.GradNorm, st.LR
	if v.meanOpt != nil {
		ms := v.meanOpt.Step()
		res.GradNorm = math.Sqrt(st.GradNorm*st.GradNorm + ms.GradNorm*ms.GradNorm)
	}
	if math.IsNaN(res.GradNorm) || math.IsInf(res.GradNorm, 0) {
		return res, fmt.Errorf("gradient norm is %v at update %d: stopping", res.GradNorm, tr.step)
	}
	tr.step++
	return res, nil
}

// drawReplace is the discrete noise of 6.3: one Bernoulli(λ·√(1−ᾱ_t)) per
// (example, position), row-major, from float64 uniforms.
func drawReplace(rng *tensor.RNG, d *diffuseq.Diffusion, t []int, b, l int, rate float64) []bool {
	out := make([]bool, b*l)
	for i := range b {
		q := rate * d.SqrtOneMinusAlphasCumprod[t[i]]
		for j := range l {
			out[i*l+j] = rng.Float64() < q
		}
	}
	return out
}

// MeanEmbedValues returns m: the live values, or the EMA copy of the given
// rate string ("0.9999"; "" = live). nil without learned_mean_embed.
func (v *V2Trainer) MeanEmbedValues(rate string) ([]float32, error) {
	if v.MeanEmbed == nil {
		return nil, nil
	}
	if rate == "" {
		return append([]float32(nil), v.MeanEmbed.Data()...), nil
	}
	for _, e := range v.meanOpt.EMAs() {
		if e.RateString() == rate {
			return append([]float32(nil), e.Values[0]...), nil
		}
	}
	return nil, fmt.Errorf("mean_embed: no EMA of rate %q", rate)
}

// SaveMeanEmbed writes m (live, key "mean_embed") and its EMA copies
// ("ema_RATE.mean_embed") to a safetensors file: the sidecar of a v2 run
// until the model's checkpoint carries mean_embed.
func (v *V2Trainer) SaveMeanEmbed(path string) error {
	if v.MeanEmbed == nil {
		return fmt.Errorf("SaveMeanEmbed: the run has no learned_mean_embed")
	}
	d := []int{len(v.MeanEmbed.Data())}
	ts := []safetensors.Named{safetensors.F32(MeanEmbedName, d, v.MeanEmbed.Data())}
	for _, e := range v.meanOpt.EMAs() {
		ts = append(ts, safetensors.F32(optim.EMAKey(e, MeanEmbedName), d, e.Values[0]))
	}
	return safetensors.WriteFile(path, ts, map[string]string{"format": "diffuseq-go mean_embed sidecar"})
}

// LoadMeanEmbed reads m from a SaveMeanEmbed file: key "mean_embed"
// (weights "live") or "ema_RATE.mean_embed".
func LoadMeanEmbed(path, key string) ([]float32, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, _, err := f.Float32(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return v, nil
}
