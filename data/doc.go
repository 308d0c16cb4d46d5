// Package data reads DiffuSeq's jsonl datasets and cuts them into batches,
// following section 1 of the reference specification.
//
// A dataset directory holds train.jsonl, valid.jsonl and test.jsonl, one
// JSON object per line with string fields "src" and "trg" (other fields are
// ignored; both strings are strip()-ed). Reader streams a file line by line
// (a line may be at most MaxLineBytes) and reports every bad line as a
// *LineError printed "file:line: field: problem": invalid UTF-8, invalid
// JSON, not an object, a missing or non-string src/trg, empty text, an
// over-long line. Options.SkipBad counts and skips them instead.
//
// Join turns one encoded pair into a row of length L exactly as the
// reference does: the longer side is cut from its end until both fit, the
// row is src [end] [sep] trg [end] [pad]..., and input_mask is 0 on the
// source part and 1 on the target and on all padding (the model generates
// the padding, which is how it decides the output length).
//
// Dataset holds the encoded rows in memory, or — with Options.Stream, for
// files larger than memory — only a 16-byte index entry per line,
// re-reading lines by offset when a batch needs them. Loader makes
// batches: file order (the reference's test loader) or a seeded shuffle
// (PCG32, or torch's randperm with TorchOrder, which reproduces the
// reference's training order exactly); the same order every epoch (the
// reference's training loader never calls set_epoch) or a new one per
// epoch; optionally bucketed by length. Its
// State (epoch, batch) can be saved with a checkpoint and restored with
// SetState to resume at the same batch.
package data
