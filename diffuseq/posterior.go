package diffuseq

import (
	"math"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// MeanVariance is the output of p(x_{t−1} | x_t) as the reference's
// p_mean_variance returns it. The variance does not depend on position or
// dimension, so it is kept per example.
type MeanVariance struct {
	Mean        *tensor.Tensor // (B, L, d) posterior mean c1_t·x̂_0 + c2_t·x_t
	PredXStart  *tensor.Tensor // (B, L, d) x̂_0 after DenoisedFn and the optional clamp
	Variance    []float32      // (B) fixed-large v_t (float32 cast)
	LogVariance []float32      // (B) ln v_t (float32 cast)
}

// QPosteriorMean is the mean of q(x_{t−1} | x_t, x_0) (reference 3.2):
//
//	μ̃_t = c1_t·x_0 + c2_t·x_t,  c1_t = β_t√ᾱ_{t−1}/(1−ᾱ_t), c2_t = (1−ᾱ_{t−1})√α_t/(1−ᾱ_t)
//
// with float32 coefficients and separately rounded products.
//
//	xStart, xT: (B, L, d); t: (B) → (B, L, d)
func (d *Diffusion) QPosteriorMean(xStart, xT *tensor.Tensor, t []int) *tensor.Tensor {
	b, l, dim := dims3("QPosteriorMean", xT)
	sameShape("QPosteriorMean", xStart, xT)
	checkBatch("QPosteriorMean", t, b)
	x0, x := xStart.Contiguous().Data(), xT.Contiguous().Data()
	out := tensor.New(b, l, dim)
	mu := out.Data()
	n := l * dim
	for i := range b {
		d.checkStep("QPosteriorMean", t[i])
		c1, c2 := at32(d.PosteriorMeanCoef1, t[i]), at32(d.PosteriorMeanCoef2, t[i])
		for k := i * n; k < (i+1)*n; k++ {
			mu[k] = float32(c1*x0[k]) + float32(c2*x[k])
		}
	}
	return out
}

// PMeanVariance is the reference's p_mean_variance for the x_0-prediction
// model, given the network output f = f_θ(x_t, τ) (so it can be checked
// against recorded outputs without the network):
//
//	x̂_0 = clamp?(denoised(f))        denoised = DenoisedFn (rounding) or identity;
//	                                  clamp to [−1, 1] only if clipDenoised
//	mean = c1_t·x̂_0 + c2_t·x_t
//	variance = v_t, log variance = ln v_t   (fixed large: v_0 = ṽ_1, v_t = β_t)
//
//	modelOutput, xT: (B, L, d); t: (B)
func (d *Diffusion) PMeanVariance(modelOutput, xT *tensor.Tensor, t []int, denoised DenoisedFn, clipDenoised bool) MeanVariance {
	b, _, _ := dims3("PMeanVariance", xT)
	sameShape("PMeanVariance", modelOutput, xT)
	checkBatch("PMeanVariance", t, b)
	x0 := modelOutput
	if denoised != nil {
		x0 = denoised(x0, t)
	}
	if clipDenoised {
		x0 = x0.Clone()
		data := x0.Data()
		for k, v := range data {
			data[k] = float32(math.Max(-1, math.Min(1, float64(v))))
		}
	}
	mv := MeanVariance{PredXStart: x0, Mean: d.QPosteriorMean(x0, xT, t)}
	mv.Variance, mv.LogVariance = make([]float32, b), make([]float32, b)
	for i, ti := range t {
		mv.Variance[i] = at32(d.ModelVariance, ti)
		mv.LogVariance[i] = at32(d.ModelLogVariance, ti)
	}
	return mv
}

// PredictEpsFromXStart inverts x_0 = √(1/ᾱ_t)·x_t − √(1/ᾱ_t − 1)·ε:
//
//	ε = (√(1/ᾱ_t)·x_t − x_0) / √(1/ᾱ_t − 1)
//
// in float32 with float32 coefficients (reference _predict_eps_from_xstart).
func (d *Diffusion) PredictEpsFromXStart(xT, xStart *tensor.Tensor, t []int) *tensor.Tensor {
	b, l, dim := dims3("PredictEpsFromXStart", xT)
	sameShape("PredictEpsFromXStart", xT, xStart)
	checkBatch("PredictEpsFromXStart", t, b)
	x, x0 := xT.Contiguous().Data(), xStart.Contiguous().Data()
	out := tensor.New(b, l, dim)
	eps := out.Data()
	n := l * dim
	for i := range b {
		d.checkStep("PredictEpsFromXStart", t[i])
		r, rm1 := at32(d.SqrtRecipAlphasCumprod, t[i]), at32(d.SqrtRecipm1AlphasCumprod, t[i])
		for k := i * n; k < (i+1)*n; k++ {
			eps[k] = (float32(r*x[k]) - x0[k]) / rm1
		}
	}
	return out
}
