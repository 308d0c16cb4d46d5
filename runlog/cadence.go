package runlog

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Cadence is the reference's training-loop schedule (spec 4.3) in terms of
// the loop-local step (0, 1, 2, …; the global update is step + ResumeStep):
//
//	step = 0
//	while step + resume_step < learning_steps:
//	    one optimisation step
//	    if step % log_interval == 0: dump a train row
//	    if step % eval_interval == 0: one validation batch, dump an eval row
//	    if step > 0 and step % save_interval == 0: save ema_{rate}_{step+resume_step:06d}.pt
//	    step += 1
//	if (step − 1) % save_interval != 0: save again          (Python %, so −1 % s = s − 1)
//
// All intervals count local steps, so a resumed run logs and saves at
// different global steps than an uninterrupted one would.
type Cadence struct {
	LearningSteps int // learning_steps: the loop stops at this global update
	ResumeStep    int // resume_step: the global update the loop starts at
	LogInterval   int // log_interval (reference default 20)
	EvalInterval  int // eval_interval (1000)
	SaveInterval  int // save_interval (40000 in config.json, per task in README)
}

// Validate reports a schedule the loop cannot run, naming the flag.
func (c Cadence) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"log_interval", c.LogInterval}, {"eval_interval", c.EvalInterval}, {"save_interval", c.SaveInterval}, {"learning_steps", c.LearningSteps}} {
		if f.v <= 0 {
			return fmt.Errorf("%s must be > 0, got %d", f.name, f.v)
		}
	}
	if c.ResumeStep < 0 {
		return fmt.Errorf("resume step must be ≥ 0, got %d", c.ResumeStep)
	}
	return nil
}

// Steps is the number of loop iterations, learning_steps − resume_step
// (0 if the run is already complete).
func (c Cadence) Steps() int { return max(0, c.LearningSteps-c.ResumeStep) }

// Log reports whether the loop dumps a train row after local step step.
func (c Cadence) Log(step int) bool { return step%c.LogInterval == 0 }

// Eval reports whether the loop runs the validation batch after step.
func (c Cadence) Eval(step int) bool { return step%c.EvalInterval == 0 }

// Save reports whether the loop saves a checkpoint after step; it is named
// after the global step step + ResumeStep, although step + 1 updates of
// this run are done by then.
func (c Cadence) Save(step int) bool { return step > 0 && step%c.SaveInterval == 0 }

// FinalSave reports whether the loop saves once more after its last
// iteration; that checkpoint is named after LearningSteps. [quirk] A run of
// exactly one step (or one that stops one step after an in-loop save) ends
// with no extra save, as in the reference.
func (c Cadence) FinalSave() bool {
	last := c.Steps() - 1
	mod := ((last % c.SaveInterval) + c.SaveInterval) % c.SaveInterval // Python's %
	return mod != 0
}

// Samples is the reference's "samples" value logged after local step step:
// (step + resume_step + 1) · global batch.
func (c Cadence) Samples(step, globalBatch int) int64 {
	return int64(step+c.ResumeStep+1) * int64(globalBatch)
}

// CheckpointName is the reference's EMA checkpoint file name,
// ema_{rate}_{NNNNNN}.pt, e.g. CheckpointName("0.9999", 50000) =
// "ema_0.9999_050000.pt" (at least six digits).
func CheckpointName(rate string, globalStep int) string {
	return fmt.Sprintf("ema_%s_%06d.pt", rate, globalStep)
}

// ResumeStepOf reads resume_step from a checkpoint path the way the
// reference does (spec 4.5): the six digits before ".pt".
func ResumeStepOf(path string) (int, error) {
	base := filepath.Base(path)
	stem, ok := strings.CutSuffix(base, ".pt")
	if !ok {
		stem, ok = strings.CutSuffix(base, ".safetensors")
	}
	if !ok || len(stem) < 6 {
		return 0, fmt.Errorf("%s: checkpoint name must end in a six-digit step and .pt (e.g. ema_0.9999_050000.pt)", path)
	}
	digits := stem[len(stem)-6:]
	n, err := strconv.Atoi(digits)
	if err != nil || strings.ContainsAny(digits, "+-") {
		return 0, fmt.Errorf("%s: %q before the extension is not a six-digit step", path, digits)
	}
	return n, nil
}
