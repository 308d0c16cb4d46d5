// Package autograd is reverse-mode automatic differentiation for the
// DiffuSeq engine: a define-by-run tape (a Wengert list), variables that
// carry a value and a gradient, and a registry of op names. The ops
// themselves (linear, attention, layernorm, cross-entropy, ...) live in
// package ops, which records onto a Tape; this package holds only the
// bookkeeping, so it can be read in one sitting.
//
// # How it works
//
// Every op call in package ops computes its result at once (define by
// run) and, when gradients are on and an input needs one, appends a record
// to the tape: op name, inputs, output, and a backward closure. Forward
// order is a topological order of the graph, so Backward simply walks the
// records in reverse, calling each closure once its output's gradient is
// complete. Closures accumulate (+=) into their inputs' gradients, which
// makes two things work with no special case:
//
//   - shared weights: DiffuSeq ties the word embedding to the lm_head, so
//     the same *Var feeds ops.Embedding and ops.Linear and its gradient is
//     the sum of both uses;
//   - gradient accumulation: parameter gradients are never cleared by the
//     tape, so Backward once per microbatch (with Reset between) sums them
//     until the optimizer calls Params.ZeroGrad.
//
// # Memory: a steady state with no heap growth
//
// A Tape owns the memory of one step. Op results, intermediate gradients,
// saved statistics (layernorm's mean and 1/std, attention's
// probabilities) and the Var structs come from an arena; Reset rewinds it.
// A training loop that builds the same graph each step gets the same
// buffers back, so after the first step it allocates only small closures
// and the live heap stays flat (ops.TestTrainingHeapIsFlat checks it over
// 200 steps). The price: a Var returned by an op, or made by Tape.Const, is
// valid only until the next Reset. Copy what you keep (losses via Item).
//
// Backward also recycles within the step: once an op's backward has run,
// the gradient of its result is dead (every consumer came later in the
// forward, so its backward ran earlier), and the buffer goes back to the
// arena for the next gradients. A step then holds its forward values plus
// only the gradients in flight; after Backward, intermediate results have
// Grad nil and only parameters (and the Var Backward started from) keep
// theirs. Ops that write a whole gradient at once take it with
// Tape.GradInit, which skips the zeroing.
//
// # No-grad mode
//
// SetGrad(false) turns recording off for sampling and evaluation: ops
// compute values only, record nothing, and no gradient buffer is ever
// allocated. Reset still recycles the values each sampling step.
//
// # Errors
//
// Shape mistakes are programming errors: ops panic with a message naming
// the op and the shapes ("ops.linear: x [2 3], weight [4 5], ..."). Misuse
// of the tape (Backward on a non-scalar, Backward twice, recording after
// Backward, an unregistered op name) panics likewise.
//
// # Typical step
//
//	tp := autograd.NewTape()
//	for step := range steps {
//		tp.Reset()
//		x := tp.Const(batch)              // (B, T, C), no gradient
//		loss := model.Loss(tp, x)         // ops.* calls
//		tp.Backward(loss)                 // fills p.Grad for every parameter
//		opt.Step(params)                  // reads p.Value, p.Grad
//		params.ZeroGrad()
//	}
//
// See the package example for a complete linear-regression step, and
// package ops for the op list. The design follows the tape of llm.c-style
// engines with hand-written fused backward passes (conventions.md §5).
package autograd
