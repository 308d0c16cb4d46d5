// Package generate turns a trained DiffuSeq model into text: it is the Go
// API behind `diffuseq sample`, for programs that embed the model.
//
//	g, err := generate.Load("runs/qqp", generate.LoadOptions{})
//	res, err := g.Generate(ctx, []string{"how can i be a good geologist?"}, generate.Options{Seed: 101})
//	fmt.Println(res[0].Text)
//
// Decoding follows the reference's sample_seq2seq.py (reference
// specification, sections 3.7–3.11 and 5.1): every source is tokenised and
// joined with a placeholder target exactly as training rows are
// (data.Join: source ++ [SEP] ++ target/padding, the target part masked
// with 1), the masked part starts as N(0, I) noise, the source part stays
// the clean word embeddings E[w], and the reverse process runs from
// t = K−1 down to 0 with rounding to the nearest word embedding at every
// step; the tokens are read out with the tied lm_head (argmax of x·Eᵀ + b).
//
// The samplers, chosen by Options:
//
//   - Steps = 0 (or K): the full ancestral loop of the trained process,
//     identical to diffuseq.Diffusion.Decode on the same noise.
//   - Steps = N < K: ancestral sampling on the respaced process
//     (diffuseq Respace with SpaceTimesteps(K, "N"), reference 3.3): a
//     consistent N-step chain whose ᾱ at each kept step equals the trained
//     one. This is the recommended fast path.
//   - DDIM with Steps = N < K: the reference's --step path (3.10), η = 0,
//     gap = ⌊K/N⌋ on the full process, kept for reproducing the paper's
//     "fewer steps" numbers; it has the reference's quirk of always moving
//     to the noise level of t−1.
//   - Sampler = a diffuseq.Sampler name: diffuseq's fast samplers
//     (consistent DDIM, DPM-Solver++) through diffuseq.SampleWith.
//
// Randomness: one tensor.RNG seeded with Options.Seed per Generate call
// draws, batch after batch in input order, x_T's noise and then every
// step noise, as the reference's single torch generator does after
// set_seed(seed2). The same seed, inputs and batch size therefore give the
// same output; a different batch size regroups the draws and gives a
// different (equally valid) sample.
//
// A Generator is safe for concurrent use: the weights are only read, and
// each Generate call takes its own autograd tape (buffer arena) from a
// pool. Cancelling the context stops a call between two reverse steps.
//
// The denoising trace (Options.TraceEvery) reads the tokens out of the
// current x every k steps, so one can watch a sentence emerge from noise;
// RenderTrace prints it and WriteTraceHTML draws it as a table of steps ×
// positions.
package generate
