package train

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/optim"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/tensor"
	"github.com/diffuseq-go/diffuseq/text"
)

// V2Trainer is a Trainer for a DiffuSeq-v2 run. The model owns mean_embed
// (model.Config.LearnedMeanEmbed) and the Trainer builds LossFnV2 when the
// Config's v2 fields are set, so this is that Trainer plus access to m and
// its export as a sidecar file for tools that read one.
type V2Trainer struct {
	*Trainer
	V2        V2Options
	MeanEmbed *autograd.Var // (d) the model's mean_embed, or nil without learned_mean_embed
}

// NewV2 prepares a fresh v2 run: New with the v2 options o.
func NewV2(cfg Config, o V2Options, tok text.Tokenizer) (*V2Trainer, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	cfg.LearnedMeanEmbed, cfg.Denoise, cfg.DenoiseRate, cfg.RegRate = o.LearnedMeanEmbed, o.Denoise, o.DenoiseRate, o.RegRate
	tr, err := New(cfg, tok)
	if err != nil {
		return nil, err
	}
	return &V2Trainer{Trainer: tr, V2: o, MeanEmbed: tr.Model.MeanEmbed}, nil
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

// meanEmbedEMAs returns, per EMA rate, the EMA copy of mean_embed.
func (v *V2Trainer) meanEmbedEMAs() ([]*optim.EMA, [][]float32) {
	idx := -1
	for i, p := range v.params {
		if p.Name == MeanEmbedName {
			idx = i
		}
	}
	emas := v.Opt.EMAs()
	vals := make([][]float32, len(emas))
	for i, e := range emas {
		if idx >= 0 {
			vals[i] = e.Values[idx]
		}
	}
	return emas, vals
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
	emas, vals := v.meanEmbedEMAs()
	for i, e := range emas {
		if e.RateString() == rate {
			return append([]float32(nil), vals[i]...), nil
		}
	}
	return nil, fmt.Errorf("mean_embed: no EMA of rate %q", rate)
}

// SaveMeanEmbed writes m (live, key "mean_embed") and its EMA copies
// ("ema_RATE.mean_embed") to a safetensors sidecar file. The run's own
// checkpoint carries them too; the sidecar is for tools that decode an
// imported or foreign checkpoint with a separate m.
func (v *V2Trainer) SaveMeanEmbed(path string) error {
	if v.MeanEmbed == nil {
		return fmt.Errorf("SaveMeanEmbed: the run has no learned_mean_embed")
	}
	d := []int{len(v.MeanEmbed.Data())}
	ts := []safetensors.Named{safetensors.F32(MeanEmbedName, d, v.MeanEmbed.Data())}
	emas, vals := v.meanEmbedEMAs()
	for i, e := range emas {
		ts = append(ts, safetensors.F32(optim.EMAKey(e, MeanEmbedName), d, vals[i]))
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
