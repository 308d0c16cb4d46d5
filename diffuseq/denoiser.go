package diffuseq

import "github.com/diffuseq-go/diffuseq/tensor"

// Denoiser is the network f_θ: it maps a noisy sequence x_t and the
// network timesteps τ (already rescaled: Diffusion.ModelTimesteps) to the
// predicted x_0 (predict_xstart = true, the only mode the reference's loss
// supports).
type Denoiser interface {
	PredictXStart(xT *tensor.Tensor /* (B, L, d) */, t []float32 /* (B) */) *tensor.Tensor // (B, L, d)
}

// DenoiserFunc adapts a function to Denoiser.
type DenoiserFunc func(xT *tensor.Tensor, t []float32) *tensor.Tensor

// PredictXStart calls f.
func (f DenoiserFunc) PredictXStart(xT *tensor.Tensor, t []float32) *tensor.Tensor { return f(xT, t) }

// DenoisedFn post-processes a predicted x_0 (B, L, d) at steps t (B)
// before it enters the posterior mean; the reference passes the rounding
// of 3.8 (Rounder.DenoisedFn). nil means identity.
type DenoisedFn func(xStart *tensor.Tensor, t []int) *tensor.Tensor

// Normal is an injectable source of standard normal draws. *tensor.RNG
// satisfies it; a test can replay noise dumped from the reference.
// FillNormal must fill x with mean + std·N(0, 1) draws in order.
type Normal interface {
	FillNormal(x []float32, mean, std float32)
}
