// Package ops holds the differentiable operations DiffuSeq's network is
// built from. Each op takes the *autograd.Tape first, computes its result
// immediately and records a backward closure; forward and backward sit side
// by side in one file per concern, with the derivative written in the
// comment above the backward.
//
// # The ops
//
//	file             function(s)                          shapes
//	linear.go        Linear(x, w, b)                      (..., in)·(out, in)ᵀ + (out) → (..., out)
//	matmul.go        MatMul, BatchedMatMul (trans flags)  (M, K)·(K, N); (..., M, K)·(..., K, N)
//	arith.go         Add, Sub, Mul (broadcasting), Scale  NumPy broadcasting, sumToShape backward
//	                 AddInPlace                           a + b over a's buffer (residuals)
//	activation.go    Tanh, SiLU, GELU (erf form)          element-wise
//	layernorm.go     LayerNorm(x, gamma, beta, eps)       over the last dim; LayerNormEps = 1e-12
//	softmax.go       Softmax                              over the last dim
//	attention.go     Attention(q, k, v, AttentionOpts)    (B, T, C) → (B, T, C); mask → (B, H, T, T)
//	embedding.go     Embedding(table, ids, idShape...)    (V, C) → (idShape..., C), scatter-add grad
//	dropout.go       Dropout(x, Drop{P, RNG, Train})      inverted dropout, seeded
//	                 DropoutInPlace                       the same over x's buffer
//	reduce.go        Sum(x, keep), Mean(x, keep)          keep leading dims; keep=0 → scalar
//	mse.go           MSE(pred, target)                    (B, ...) → (B), mean over the rest
//	crossentropy.go  CrossEntropy(logits, t, mask, red)   (..., V) → (...) or scalar
//	where.go         Where(cond, a, b)                    cond ? a : b, broadcasting
//	reshape.go       Reshape, Permute                     a view; a contiguous copy
//	slice.go         Slice, Concat                        contiguous copies
//
// Every op registers its name with autograd.Register; the test
// TestGradCoverage fails if a registered op has no gradient check.
//
// # Conventions for the model code
//
// Weights use PyTorch's layout, so state_dict tensors load as they are:
// Linear's w is (out, in) and is read transposed by the GEMM (never
// copied). Weight tying is just using one Var twice: the lm_head is
// Linear(h, E, lmBias) with E the (V, C) word-embedding Var that
// Embedding also reads, and E.Grad collects both contributions.
// Linear, LayerNorm, GELU and friends take (B, T, C) directly (leading
// dimensions are flattened). Dropout and attention-probability dropout
// take a Drop{P, RNG, Train}: with Train false they are the identity, and
// with the same RNG seed the masks are the same on every machine and
// thread count. CrossEntropy(..., ReduceNone) returns the per-token loss
// (B, T), with masked tokens 0; MSE returns one value per example (B).
// DropoutInPlace and AddInPlace write over their first input when the
// tape agrees that nothing reads it any more (autograd.Tape.Overwrite: a
// result whose producer's backward does not read it, not yet consumed);
// the model uses them where a Linear output goes through dropout into a
// residual sum, and must not touch that input again.
// Slices passed in (Embedding's ids, CrossEntropy's targets and mask,
// Where's and Attention's masks) are read again by the backward: leave
// them unchanged until Backward has run.
//
// # Fused hot ops
//
// LayerNorm, Softmax, CrossEntropy (log-softmax + NLL from logits), GELU,
// Attention and Embedding have hand-written backward passes rather than
// being composed from primitives: fewer records, less memory, and one pass
// over the data each way (llm.c's approach). Attention reads heads straight
// out of (B, T, C) with strided batched GEMMs (one call per head over the
// whole batch), so nothing is permuted to (B, H, T, D); it keeps only the
// (B, H, T, T) probabilities and, in training, the dropout mask (one bit
// per element, as every dropout mask here) for the backward. CrossEntropy keeps one log-sum-exp per row and recomputes the
// softmax in blocks, so a vocabulary-sized probability tensor is never
// stored.
//
// # One math, two precisions
//
// The arithmetic of each op is a generic function over Float
// (float32 | float64) on flat slices, e.g. linearFwd[F] and linearBwd[F].
// The dense kernels it needs (GEMM, row softmax, row layernorm, GELU,
// tanh, exp) come in a kernels[F] table: k32 points at package asm (the
// fast path the tape runs), k64 at plain-Go references. The gradient
// checks run the same generic functions in float64 against central
// differences with tight bounds, then compare the float32 tape op with
// them, then take float32 finite differences through the tape.
//
// # Threads
//
// Row loops run on internal/parallel's pool, split over independent
// outputs (rows, or columns for column sums and embedding scatter-add), so
// results do not depend on the thread count. The GEMMs are always called
// from the calling goroutine, never from inside a parallel loop, because
// they parallelise themselves and the pool does not nest; the vector
// kernels (exp, max, sum, scale, axpy) are single-threaded and run per row
// inside the loops.
package ops
