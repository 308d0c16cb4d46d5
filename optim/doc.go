// Package optim is DiffuSeq's optimisation step on plain named parameter
// slices: gradient clipping by global norm, the linear learning-rate anneal,
// AdamW exactly as torch.optim.AdamW computes it, and the exponential moving
// average (EMA) of the weights that the reference saves as its checkpoints.
//
// The order of one update follows the reference's train_util (spec 4.2):
//
//	if gradient_clipping > 0: clip the global gradient norm (clip_grad_norm_)
//	grad_norm = √(Σ_p Σ g²)             // logged, after clipping
//	lr_s      = lr · (1 − s/learning_steps)  // s = update index incl. resume_step
//	AdamW step with lr_s
//	for each EMA rate r: ema ← r·ema + (1−r)·θ
//
// The package knows nothing about the model: a parameter is a name, a value
// slice and a gradient slice (Param). Everything is deterministic, whatever
// the thread count; a step allocates nothing when it runs on the caller and
// only parallel.For's WaitGroup when it is spread over the worker pool. All optimiser state (moments, step counters, EMA
// copies) exports and imports by parameter name (State, LoadState), so a run
// resumed from our own checkpoint continues bit-identically. The reference
// itself saves only EMA weights and resumes with a fresh AdamW; SetResumeStep
// reproduces that.
//
// Arithmetic mirrors PyTorch's CPU kernels element by element: float32
// tensors, Python scalars computed in float64 and rounded to float32 where a
// kernel uses them. Go never fuses a*b+c across an explicit float32(...)
// conversion, so the results are the same on every architecture.
package optim
