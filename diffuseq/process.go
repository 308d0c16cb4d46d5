package diffuseq

import (
	"fmt"
	"math"
)

// Diffusion holds a (possibly respaced) discrete Gaussian diffusion: the K
// betas actually used and every array derived from them (reference 3.2),
// all float64, indexed by the step t = 0..K−1 of this process.
//
// TimestepMap[t] is the index of step t in the original K₀-step process;
// the network is fed that original index (rescaled to 0..1000 when
// RescaleTimesteps), never t itself (reference 3.3).
type Diffusion struct {
	NumTimesteps     int   // K, steps of this process
	OriginalNumSteps int   // K₀, steps of the process it was respaced from
	TimestepMap      []int // (K) original index of each kept step
	RescaleTimesteps bool  // feed the network t·1000/K₀ instead of t

	Betas             []float64 // (K) β_t
	AlphasCumprod     []float64 // (K) ᾱ_t = Π_{s≤t} (1 − β_s)
	AlphasCumprodPrev []float64 // (K) ᾱ_{t−1}, with ᾱ_{−1} = 1
	AlphasCumprodNext []float64 // (K) ᾱ_{t+1}, with ᾱ_K = 0

	SqrtAlphasCumprod           []float64 // (K) √ᾱ_t: q(x_t|x_0) mean scale
	SqrtOneMinusAlphasCumprod   []float64 // (K) √(1−ᾱ_t): q(x_t|x_0) std
	LogOneMinusAlphasCumprod    []float64 // (K) ln(1−ᾱ_t)
	SqrtRecipAlphasCumprod      []float64 // (K) √(1/ᾱ_t)
	SqrtRecipm1AlphasCumprod    []float64 // (K) √(1/ᾱ_t − 1)
	PosteriorVariance           []float64 // (K) ṽ_t = β_t (1−ᾱ_{t−1})/(1−ᾱ_t)
	PosteriorLogVarianceClipped []float64 // (K) ln ṽ_t with ṽ_1 in slot 0 (ṽ_0 = 0)
	PosteriorMeanCoef1          []float64 // (K) c1_t = β_t √ᾱ_{t−1}/(1−ᾱ_t), multiplies x̂_0
	PosteriorMeanCoef2          []float64 // (K) c2_t = (1−ᾱ_{t−1}) √α_t/(1−ᾱ_t), multiplies x_t

	// ModelVariance is the "fixed large" sampling variance the reference
	// uses (learn_sigma=false, sigma_small=false): v_0 = ṽ_1, v_t = β_t for
	// t ≥ 1. It is NOT the posterior variance.
	ModelVariance    []float64 // (K)
	ModelLogVariance []float64 // (K) ln v_t
}

// NewDiffusion builds the base process of the given betas (reference
// GaussianDiffusion.__init__): TimestepMap is the identity and K₀ = K.
// Betas must lie in (0, 1]; anything else is a configuration error.
func NewDiffusion(betas []float64, rescaleTimesteps bool) (*Diffusion, error) {
	k := len(betas)
	if k < 2 {
		return nil, fmt.Errorf("diffuseq: a diffusion needs at least 2 steps, got %d betas", k)
	}
	for i, b := range betas {
		if !(b > 0 && b <= 1) {
			return nil, fmt.Errorf("diffuseq: beta[%d] = %v is outside (0, 1]", i, b)
		}
	}
	d := &Diffusion{
		NumTimesteps:     k,
		OriginalNumSteps: k,
		TimestepMap:      make([]int, k),
		RescaleTimesteps: rescaleTimesteps,
		Betas:            append([]float64(nil), betas...),
	}
	for i := range d.TimestepMap {
		d.TimestepMap[i] = i
	}
	d.derive()
	return d, nil
}

// derive fills every array from Betas, with the reference's operation
// order (numpy, float64) so that the values agree to the last bit or two.
func (d *Diffusion) derive() {
	k := d.NumTimesteps
	mk := func() []float64 { return make([]float64, k) }
	alphas := mk()
	d.AlphasCumprod, d.AlphasCumprodPrev, d.AlphasCumprodNext = mk(), mk(), mk()
	d.SqrtAlphasCumprod, d.SqrtOneMinusAlphasCumprod, d.LogOneMinusAlphasCumprod = mk(), mk(), mk()
	d.SqrtRecipAlphasCumprod, d.SqrtRecipm1AlphasCumprod = mk(), mk()
	d.PosteriorVariance, d.PosteriorLogVarianceClipped = mk(), mk()
	d.PosteriorMeanCoef1, d.PosteriorMeanCoef2 = mk(), mk()
	d.ModelVariance, d.ModelLogVariance = mk(), mk()

	prod := 1.0
	for t, b := range d.Betas {
		alphas[t] = 1 - b
		prod *= alphas[t]
		d.AlphasCumprod[t] = prod
	}
	for t := range k {
		ac := d.AlphasCumprod[t]
		if t == 0 {
			d.AlphasCumprodPrev[t] = 1
		} else {
			d.AlphasCumprodPrev[t] = d.AlphasCumprod[t-1]
		}
		if t == k-1 {
			d.AlphasCumprodNext[t] = 0
		} else {
			d.AlphasCumprodNext[t] = d.AlphasCumprod[t+1]
		}
		prev := d.AlphasCumprodPrev[t]
		d.SqrtAlphasCumprod[t] = math.Sqrt(ac)
		d.SqrtOneMinusAlphasCumprod[t] = math.Sqrt(1 - ac)
		d.LogOneMinusAlphasCumprod[t] = math.Log(1 - ac)
		d.SqrtRecipAlphasCumprod[t] = math.Sqrt(1 / ac)
		d.SqrtRecipm1AlphasCumprod[t] = math.Sqrt(1/ac - 1)
		b := d.Betas[t]
		d.PosteriorVariance[t] = b * (1 - prev) / (1 - ac)
		d.PosteriorMeanCoef1[t] = b * math.Sqrt(prev) / (1 - ac)
		d.PosteriorMeanCoef2[t] = (1 - prev) * math.Sqrt(alphas[t]) / (1 - ac)
	}
	// ṽ_0 = 0 would give ln 0 = −∞; the reference substitutes ṽ_1.
	for t := range k {
		src := t
		if t == 0 {
			src = 1
		}
		d.PosteriorLogVarianceClipped[t] = math.Log(d.PosteriorVariance[src])
		if t == 0 {
			d.ModelVariance[t] = d.PosteriorVariance[1]
		} else {
			d.ModelVariance[t] = d.Betas[t]
		}
		d.ModelLogVariance[t] = math.Log(d.ModelVariance[t])
	}
}

// ModelTimestep is the float32 time the network receives for step t of
// this process (the reference's _WrappedModel): the original index
// TimestepMap[t], cast to float32 and, when RescaleTimesteps, multiplied in
// float32 by 1000/K₀. For K₀ = 2000: τ ∈ {0, 0.5, …, 999.5}.
func (d *Diffusion) ModelTimestep(t int) float32 {
	d.checkStep("ModelTimestep", t)
	tau := float32(d.TimestepMap[t])
	if d.RescaleTimesteps {
		tau = float32(tau * float32(1000/float64(d.OriginalNumSteps)))
	}
	return tau
}

// ModelTimesteps maps a batch of steps with ModelTimestep.
func (d *Diffusion) ModelTimesteps(ts []int) []float32 {
	out := make([]float32, len(ts))
	for i, t := range ts {
		out[i] = d.ModelTimestep(t)
	}
	return out
}

func (d *Diffusion) checkStep(op string, t int) {
	if t < 0 || t >= d.NumTimesteps {
		panic(fmt.Sprintf("diffuseq.%s: step %d out of range [0, %d)", op, t, d.NumTimesteps))
	}
}

// at32 is the reference's _extract_into_tensor: the float64 schedule value
// at step t, cast to float32 for use on float32 tensors.
func at32(arr []float64, t int) float32 { return float32(arr[t]) }
