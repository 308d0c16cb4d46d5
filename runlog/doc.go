// Package runlog records a training run: the per-interval averages the
// reference logs (loss, mse, nll and their means per quartile of the
// diffusion step t, grad_norm, step, samples) plus our own lr, steps/s and
// elapsed time, as append-only CSV and JSONL files; it reads the official
// progress.csv back for comparison and draws loss curves as SVG.
//
// Crash safety: each row is written with one write call of a complete line
// and synced, so a crash leaves at most a partial last line; Open in resume
// mode cuts that line off and any rows at or after the resume step, then
// appends.
package runlog
