package autograd

// Overwrite is asked by an in-place op (ops.DropoutInPlace,
// ops.AddInPlace) before it writes its result over v's value buffer. It
// agrees when nothing can read that value any more: v is an op result
// whose producer's backward never reads it (OpOutputUnread) and no op has
// consumed v yet. It then claims v for the op, which must record v as an
// input; recording v as the input of any later op panics, since v's value
// is gone.
//
// Why: a training step keeps every op's result until its backward, and
// the chain Linear → Dropout → residual Add holds three (B, L, H)
// tensors per use where one suffices, because neither Linear's nor
// Dropout's nor Add's backward reads its own result. Writing in place
// there saves two of them per encoder layer at no compute cost, as
// PyTorch's dropout(inplace=True) and add_ do: 65 MB (9 %) of the peak of
// the small model's training step (docs/benchmarks.md).
//
// The caller promises not to use v again; when Overwrite refuses, the op
// writes a fresh buffer and nothing changes.
func (tp *Tape) Overwrite(v *Var) bool {
	if v.param || !v.outUnread || v.uses != 0 || v.overwritten {
		return false
	}
	v.overwritten = true
	return true
}
