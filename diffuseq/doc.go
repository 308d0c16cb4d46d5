// Package diffuseq is the Gaussian diffusion of DiffuSeq (Gong et al., ICLR
// 2023): noise schedules, the forward process with partial noising, the
// timestep samplers, the training-loss terms, the ancestral (DDPM) and the
// reference's DDIM-like samplers, rounding to the nearest word embedding and
// the token read-out; and the fast samplers (respaced ancestral, consistent
// DDIM, DPM-Solver++) with DiffuSeq-v2's absorbing state behind one entry
// point, Sampler (sampler.go, docs/samplers.md), which do not reproduce the
// reference's quirks.
//
// It follows the reference specification (design/diffuseq-reference.md,
// section 3) to the letter, including the reference's quirks, because the
// goal is numerical equivalence with the official PyTorch code:
//
//   - schedule arrays are float64 and cast to float32 where the reference
//     casts them (every _extract_into_tensor), then combined in float32;
//   - the source part of the sequence (input_mask == 0) is never noised
//     and is re-imposed after every reverse step;
//   - every random draw is injectable (a Normal source, a Uniform source),
//     so a single step can be replayed against tensors dumped from the
//     reference, whose RNG streams Go cannot reproduce.
//
// The network is behind the Denoiser interface; rounding and read-out only
// need the word-embedding matrix E (V, d) and the lm_head bias (V). Nothing
// here needs automatic differentiation: the loss terms are forward-only
// functions whose doc comments give the formulas the autograd version must
// implement.
//
// Names follow the paper and the reference: xStart (x₀), xT (x_t),
// alphasCumprod (ᾱ), posteriorMeanCoef1/2, ... Shapes use B batch, L
// sequence length, d embedding width, V vocabulary, K diffusion steps.
package diffuseq
