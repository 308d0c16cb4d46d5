package train

import (
	"fmt"
	"math"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/ops"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// V2Options are DiffuSeq-v2's training additions (reference 6.1–6.4)
// under the reference's flag names. The zero value (plus DenoiseRate) is
// v1 training.
type V2Options struct {
	LearnedMeanEmbed bool    `json:"learned_mean_embed"` // learn the soft absorbing state m ∈ R^d
	Denoise          bool    `json:"denoise"`            // discrete noise: replace x_t[j] by m with prob λ·√(1−ᾱ_t)
	DenoiseRate      float64 `json:"denoise_rate"`       // λ (run_train.py default 0.2; the published command 0.5)
	RegRate          float64 `json:"reg_rate"`           // weight of ‖m‖₂ in every example's loss (run_train.py: 0.0)
}

// DefaultV2Options are run_train.py's defaults on the v2 branch: both
// additions off, denoise_rate 0.2, reg_rate 0.0 (config.json's 0.01 is
// overridden by the launcher's flag default, reference 6.1).
func DefaultV2Options() V2Options { return V2Options{DenoiseRate: 0.2} }

// PublishedV2Options is the published v2 training command's setting
// (scripts/train.sh): learned_mean_embed, denoise with rate 0.5.
func PublishedV2Options() V2Options {
	return V2Options{LearnedMeanEmbed: true, Denoise: true, DenoiseRate: 0.5}
}

// Validate reports the first bad setting by its flag name.
func (o V2Options) Validate() error {
	switch {
	case o.Denoise && !o.LearnedMeanEmbed:
		return fmt.Errorf("denoise: needs learned_mean_embed (the discrete noise replaces tokens by mean_embed)")
	case o.DenoiseRate < 0 || o.DenoiseRate > 1 || math.IsNaN(o.DenoiseRate):
		return fmt.Errorf("denoise_rate %v: outside [0, 1]", o.DenoiseRate)
	case o.RegRate < 0 || math.IsNaN(o.RegRate):
		return fmt.Errorf("reg_rate %v: must be ≥ 0", o.RegRate)
	case o.RegRate > 0 && !o.LearnedMeanEmbed:
		return fmt.Errorf("reg_rate %v: needs learned_mean_embed", o.RegRate)
	}
	return nil
}

// MeanEmbedName is the state-dict key of the absorbing state.
const MeanEmbedName = "mean_embed"

// NewMeanEmbed is the absorbing-state parameter m (d), initialised
// N(0, d^{-1/2}) like the reference (6.2), named "mean_embed". The lead's
// model should own it: append it to Params() (so AdamW and the EMA update
// it) and to StateDict/LoadStateDict under MeanEmbedName; until then the
// V2Step here keeps it beside the Trainer.
func NewMeanEmbed(dim int, rng *tensor.RNG) *autograd.Var {
	v := tensor.New(dim)
	rng.FillNormal(v.Data(), 0, float32(1/math.Sqrt(float64(dim))))
	return autograd.NewParam(MeanEmbedName, v)
}

// V2Noise is every random draw of one v2 loss evaluation: the v1 draws
// plus the discrete-noise Bernoulli outcomes.
type V2Noise struct {
	Noise
	Replace []bool // (B, L) true: x_t[j] := m (drawn with prob λ·√(1−ᾱ_t)); nil: none
}

// DrawV2Noise draws one v2 loss evaluation's noise from rng: the v1
// Gaussians, then (with o.Denoise) the discrete noise, one
// Bernoulli(λ·√(1−ᾱ_t)) per (example, position) in row-major order
// (reference 6.3).
func DrawV2Noise(rng *tensor.RNG, d *diffuseq.Diffusion, t []int, b, l, dim int, o V2Options) V2Noise {
	nz := V2Noise{Noise: DrawNoise(rng, t, b, l, dim)}
	if o.Denoise {
		nz.Replace = drawReplace(rng, d, t, b, l, o.DenoiseRate)
	}
	return nz
}

// LossFnV2 is the v2 training loss (reference 6.4) on the tape. It is
// LossFn with the v2 forward process (6.2, 6.3) and the regulariser:
//
//	z_0  = e + s_0·ε_0                                  (all positions)
//	x_t  = m + √ᾱ_t·(z_0 − m) + √(1−ᾱ_t)·ε              (mask = 1)
//	x_t[j] = m                    where Replace[j]        (discrete noise)
//	x_t[j] = z_0[j]               where mask = 0          (source restored last)
//	f, mse, tT, dnll exactly as LossFn
//	loss = mse + dnll + tT + reg_rate·‖m‖₂
//
// meanEmbed (d) may be nil only when o.LearnedMeanEmbed is false; then
// this is LossFn. m gets gradients through x_t (the (1 − √ᾱ_t)·m drift and
// the replaced positions, hence through the network) and the regulariser.
func LossFnV2(tp *autograd.Tape, m *model.TransformerNetModel, meanEmbed *autograd.Var, d *diffuseq.Diffusion, bt Batch, nz V2Noise, o V2Options, opt LossOptions) Losses {
	if err := o.Validate(); err != nil {
		panic("train.LossFnV2: " + err.Error())
	}
	if !o.LearnedMeanEmbed {
		return LossFn(tp, m, d, bt, nz.Noise, opt)
	}
	b, l, dim := bt.B, bt.L, m.Config.HiddenDim
	if len(bt.InputIDs) != b*l || len(bt.Mask) != b*l || len(nz.T) != b {
		panic(fmt.Sprintf("train.LossFnV2: batch %dx%d with %d ids, %d mask, %d steps", b, l, len(bt.InputIDs), len(bt.Mask), len(nz.T)))
	}
	if meanEmbed == nil || meanEmbed.Value.Rank() != 1 || meanEmbed.Value.Dim(0) != dim {
		panic(fmt.Sprintf("train.LossFnV2: mean_embed must be a (%d) parameter", dim))
	}
	if nz.Replace != nil && len(nz.Replace) != b*l {
		panic(fmt.Sprintf("train.LossFnV2: %d discrete-noise draws for a %dx%d batch", len(nz.Replace), b, l))
	}
	e := m.Embed(tp, bt.InputIDs, b, l) // (B, L, d)

	s0 := float32(d.SqrtOneMinusAlphasCumprod[0])
	eps0 := tp.Empty(b, l, dim)
	scaled(eps0.Data(), nz.X0Noise.Contiguous().Data(), s0)
	z0 := ops.Add(tp, e, tp.Const(eps0))

	xt := V2QSample(tp, z0, meanEmbed, d, nz.T, bt.Mask, nz.Noise.Noise, nz.Replace)
	tIsZero := tp.Empty(b)
	for i, t := range nz.T {
		tIsZero.Data()[i] = boolf(t == 0)
	}

	f := m.Forward(tp, xt, d.ModelTimesteps(nz.T), opt.Train) // (B, L, d)

	mse := ops.Where(tp, tIsZero, ops.MSE(tp, f, e), ops.MSE(tp, f, z0)) // (B)
	zeros := tp.Zeros(b, l, dim)
	tT := ops.MSE(tp, ops.Scale(tp, z0, float32(d.SqrtAlphasCumprod[d.NumTimesteps-1])), tp.Const(zeros))
	dnll := ops.Mean(tp, ops.CrossEntropy(tp, m.Logits(tp, z0), bt.InputIDs, nil, ops.ReduceNone), 1)
	loss := ops.Add(tp, ops.Add(tp, mse, dnll), tT)
	if o.RegRate > 0 {
		loss = ops.Add(tp, loss, meanEmbedNorm(tp, meanEmbed, float32(o.RegRate)))
	}

	out := Losses{Loss: loss, MSE: clone(mse), DecoderNLL: clone(dnll), TTLoss: clone(tT)}
	if !opt.SkipNLL {
		prev := tp.SetGrad(false)
		out.NLL = maskedNLL(tp, m, f, bt)
		tp.SetGrad(prev)
	}
	return out
}

// V2QSample is the v2 forward process on the tape (reference 6.2, 6.3):
//
//	x_t = √ᾱ_t·z_0 + (1 − √ᾱ_t)·m + √(1−ᾱ_t)·ε    (= m + √ᾱ_t·(z_0 − m) + √(1−ᾱ_t)·ε)
//	x_t[j] = m         where replace[j]             (discrete noise; nil: none)
//	x_t[j] = z_0[j]    where mask[j] = 0            (the source is never noised)
//
// z0: (B, L, d); meanEmbed: (d); t: (B); mask, replace: (B, L); eps: (B, L, d).
// The coefficients are float32 casts of the float64 schedule; the products
// are rounded separately, as in QSample.
func V2QSample(tp *autograd.Tape, z0, meanEmbed *autograd.Var, d *diffuseq.Diffusion, t, mask []int, eps *tensor.Tensor, replace []bool) *autograd.Var {
	zs := z0.Shape()
	if len(zs) != 3 || len(t) != zs[0] || len(mask) != zs[0]*zs[1] || (replace != nil && len(replace) != len(mask)) {
		panic(fmt.Sprintf("train.V2QSample: z_0 %v with %d steps, %d mask entries, %d replace draws", zs, len(t), len(mask), len(replace)))
	}
	b, l, dim := zs[0], zs[1], zs[2]
	coefA := tp.Empty(b, 1, 1)
	coefM := tp.Empty(b, 1, 1)
	epsT := tp.Empty(b, l, dim)
	en := eps.Contiguous().Data()
	for i, ti := range t {
		a := float32(d.SqrtAlphasCumprod[ti])
		coefA.Data()[i], coefM.Data()[i] = a, 1-a
		scaled(epsT.Data()[i*l*dim:(i+1)*l*dim], en[i*l*dim:(i+1)*l*dim], float32(d.SqrtOneMinusAlphasCumprod[ti]))
	}
	keepSrc := tp.Empty(b, l, 1)
	for j, mk := range mask {
		keepSrc.Data()[j] = boolf(mk == 0)
	}
	drift := ops.Mul(tp, tp.Const(coefM), meanEmbed) // (B, 1, d)
	xt := ops.Add(tp, ops.Add(tp, ops.Mul(tp, tp.Const(coefA), z0), drift), tp.Const(epsT))
	if replace != nil {
		rep := tp.Empty(b, l, 1)
		for j, r := range replace {
			rep.Data()[j] = boolf(r)
		}
		xt = ops.Where(tp, rep, meanEmbed, xt)
	}
	return ops.Where(tp, keepSrc, z0, xt)
}

// meanEmbedNorm is reg·‖m‖₂ as a scalar on the tape, built from existing
// ops without a square root: reg·⟨m, u⟩ with the constant u = m/‖m‖ has
// the value reg·‖m‖ and the gradient reg·u = reg·m/‖m‖, which is exactly
// the gradient of reg·‖m‖ (zero at m = 0, where torch's norm gradient is
// 0 too).
func meanEmbedNorm(tp *autograd.Tape, m *autograd.Var, reg float32) *autograd.Var {
	var n2 float64
	for _, v := range m.Data() {
		n2 += float64(v) * float64(v)
	}
	u := tp.Zeros(m.Shape()...)
	if n2 > 0 {
		inv := 1 / math.Sqrt(n2)
		for k, v := range m.Data() {
			u.Data()[k] = float32(float64(v) * inv)
		}
	}
	return ops.Scale(tp, ops.Sum(tp, ops.Mul(tp, m, tp.Const(u)), 0), reg)
}
