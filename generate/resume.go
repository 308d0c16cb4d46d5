package generate

import "fmt"

// Checkpoint is a point at which a GenerateRows call can stop and be
// continued later with the same result: the first Done rows are decoded,
// and the call's RNG stood at RNGState when the next batch began.
//
// Decoding with the full 2000-step sampler takes minutes per batch on a
// CPU and hours per split, so a long decode is saved batch by batch
// (`diffuseq sample` keeps a partial file) rather than all at the end.
// Since every batch draws from the one RNG of the call, the saved state
// is what makes the continued call draw exactly what an uninterrupted
// one would have.
type Checkpoint struct {
	Done     int    // rows decoded: a multiple of the batch size, or all rows
	RNGState uint64 // tensor.RNG state before row Done's batch
}

// checkResume validates opt.Resume against the call's rows.
func checkResume(opt Options, rows int) error {
	r := opt.Resume
	if r == nil {
		return nil
	}
	switch {
	case opt.Noise != nil:
		return fmt.Errorf("resume: not possible with an injected noise source (Options.Noise), whose state is not ours to restore")
	case r.Done < 0 || r.Done > rows:
		return fmt.Errorf("resume at row %d: the call has %d rows", r.Done, rows)
	case r.Done%opt.BatchSize != 0 && r.Done != rows:
		return fmt.Errorf("resume at row %d: not the end of a batch of %d", r.Done, opt.BatchSize)
	}
	return nil
}
