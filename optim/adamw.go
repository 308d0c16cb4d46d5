package optim

import "math"

// AdamW holds the moment estimates of torch.optim.AdamW (amsgrad=False,
// maximize=False) for a fixed list of parameters.
//
// One step with learning rate lr, at step count k (1-based, after the
// increment), for every element:
//
//	θ ← θ·(1 − lr·λ)                        // decoupled weight decay first
//	m ← β₁·m + (1−β₁)·g
//	v ← β₂·v + (1−β₂)·g·g
//	θ ← θ − (lr/(1−β₁ᵏ)) · m / (√v/√(1−β₂ᵏ) + ε)
//
// eps is added after dividing √v by the bias correction √(1−β₂ᵏ), and the
// first bias correction is folded into the step size: both exactly as PyTorch.
type AdamW struct {
	Beta1, Beta2 float64 // 0.9, 0.999
	Eps          float64 // 1e-8
	WeightDecay  float64 // λ; the reference's weight_decay is 0.0

	step      int         // k: completed AdamW steps (bias-correction counter)
	expAvg    [][]float32 // m per parameter, same length as Value
	expAvgSq  [][]float32 // v per parameter
	paramLens []int
}

// NewAdamW allocates zeroed moments for params (PyTorch creates them lazily
// at the first step, also as zeros).
func NewAdamW(params []Param, beta1, beta2, eps, weightDecay float64) *AdamW {
	a := &AdamW{Beta1: beta1, Beta2: beta2, Eps: eps, WeightDecay: weightDecay}
	for _, p := range params {
		a.expAvg = append(a.expAvg, make([]float32, len(p.Value)))
		a.expAvgSq = append(a.expAvgSq, make([]float32, len(p.Value)))
		a.paramLens = append(a.paramLens, len(p.Value))
	}
	return a
}

// StepCount reports k, the number of AdamW steps taken since the moments
// were last reset.
func (a *AdamW) StepCount() int { return a.step }

// Reset zeroes the moments and the step count: a fresh optimizer, as the
// reference creates when it resumes.
func (a *AdamW) Reset() {
	a.step = 0
	for i := range a.expAvg {
		clear(a.expAvg[i])
		clear(a.expAvgSq[i])
	}
}

// Step applies one AdamW update with learning rate lr to params, which must
// be the list given to NewAdamW (same order and lengths).
func (a *AdamW) Step(params []Param, lr float64) {
	if len(params) != len(a.paramLens) {
		panic("optim: AdamW.Step got a different parameter list than NewAdamW")
	}
	c := a.begin(lr)
	for i, p := range params {
		a.checkLen(i, p)
		adamwUpdate(p.Value, p.Grad, a.expAvg[i], a.expAvgSq[i], &c)
	}
}

// checkLen panics if parameter i no longer has the length NewAdamW saw.
func (a *AdamW) checkLen(i int, p Param) {
	if len(p.Value) != a.paramLens[i] || len(p.Grad) != a.paramLens[i] {
		panic("optim: AdamW.Step: parameter " + p.Name + " changed length")
	}
}

// begin advances the step count and returns the step's scalars; the
// element updates may then run over any split of the elements.
func (a *AdamW) begin(lr float64) adamwConsts {
	a.step++
	k := float64(a.step)
	// Python-side scalars (float64), rounded to float32 where the tensor
	// kernels receive them.
	biasCorrection1 := 1 - math.Pow(a.Beta1, k)
	biasCorrection2 := 1 - math.Pow(a.Beta2, k)
	c := adamwConsts{
		decay:    float32(1 - lr*a.WeightDecay),
		beta1:    float32(a.Beta1),
		oneMinB1: float32(1 - a.Beta1),
		beta2:    float32(a.Beta2),
		oneMinB2: float32(1 - a.Beta2),
		bc2Sqrt:  float32(math.Sqrt(biasCorrection2)),
		eps:      float32(a.Eps),
		negStep:  float32(-(lr / biasCorrection1)),
	}
	return c
}

// adamwConsts are the per-step scalars of one AdamW update, as float32.
type adamwConsts struct {
	decay           float32 // 1 − lr·λ
	beta1, oneMinB1 float32 // β₁, 1−β₁
	beta2, oneMinB2 float32 // β₂, 1−β₂
	bc2Sqrt         float32 // √(1−β₂ᵏ)
	eps             float32 // ε
	negStep         float32 // −lr/(1−β₁ᵏ)
}

// adamwUpdate is the element loop. Each line is one PyTorch in-place op; the
// float32(...) conversions round every product like PyTorch's separate
// kernels do (and stop Go from fusing into FMA on arm64).
func adamwUpdate(theta, g, m, v []float32, c *adamwConsts) {
	g = g[:len(theta)]
	m = m[:len(theta)]
	v = v[:len(theta)]
	for i := range theta {
		gi := g[i]
		th := theta[i] * c.decay                                         // param.mul_(1 − lr·wd)
		mi := fmadd(gi, c.oneMinB1, float32(m[i]*c.beta1))               // exp_avg.mul_(β₁).add_(g, α=1−β₁)
		vi := float32(v[i]*c.beta2) + float32(float32(gi*c.oneMinB2)*gi) // exp_avg_sq.mul_(β₂).addcmul_(g, g, value=1−β₂)
		denom := float32(math.Sqrt(float64(vi)))/c.bc2Sqrt + c.eps       // (v.sqrt() / √bc2).add_(ε)
		theta[i] = th + float32(c.negStep*mi)/denom                      // param.addcdiv_(m, denom, value=−step_size)
		m[i] = mi
		v[i] = vi
	}
}

// fmadd returns a·b + c rounded once to float32, like the fused multiply-add
// PyTorch's vectorised CPU kernels use for add_(x, alpha=…). The product of
// two float32s is exact in float64, so only the final sum is rounded (to
// float64, then float32; the double rounding differs from a true float32
// FMA only in rare ties, far inside the test tolerance).
func fmadd(a, b, c float32) float32 {
	return float32(float64(a)*float64(b) + float64(c))
}
