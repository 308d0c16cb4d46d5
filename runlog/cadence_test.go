package runlog

import (
	"strings"
	"testing"
)

// TestCadenceReferenceRun replays the schedule of spec 4.3 for a QQP-like
// run scaled down: learning_steps 50, save_interval 10, log 20, eval 25.
func TestCadenceReferenceRun(t *testing.T) {
	c := Cadence{LearningSteps: 50, LogInterval: 20, EvalInterval: 25, SaveInterval: 10}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var logs, evals, saves []int
	for step := range c.Steps() {
		if c.Log(step) {
			logs = append(logs, step)
		}
		if c.Eval(step) {
			evals = append(evals, step)
		}
		if c.Save(step) {
			saves = append(saves, step+c.ResumeStep)
		}
	}
	eq := func(what string, got, want []int) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s at %v, want %v", what, got, want)
			return
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s at %v, want %v", what, got, want)
				return
			}
		}
	}
	eq("train rows", logs, []int{0, 20, 40})
	eq("eval rows", evals, []int{0, 25})
	eq("saves", saves, []int{10, 20, 30, 40})
	if !c.FinalSave() {
		t.Error("no final save after 50 steps (last in-loop save was at 40, not 49)")
	}
	if got := c.Samples(20, 64); got != 1344 {
		t.Errorf("samples at step 20, batch 64 = %d, want 1344 (the official progress.csv value)", got)
	}
}

func TestCadenceFinalSaveQuirks(t *testing.T) {
	for _, c := range []struct {
		learning, resume, save int
		want                   bool
	}{
		{41, 0, 10, false}, // last loop step 40 just saved
		{1, 0, 10, false},  // one step: (1−1) % 10 == 0, no checkpoint at all [quirk]
		{50, 50, 10, true}, // nothing left to run: Python (−1) % 10 = 9 → saves
		{55, 20, 10, true},
	} {
		cd := Cadence{LearningSteps: c.learning, ResumeStep: c.resume, LogInterval: 1, EvalInterval: 1, SaveInterval: c.save}
		if got := cd.FinalSave(); got != c.want {
			t.Errorf("%+v: FinalSave %v, want %v", c, got, c.want)
		}
	}
}

func TestCadenceValidate(t *testing.T) {
	c := Cadence{LearningSteps: 10, LogInterval: 0, EvalInterval: 1, SaveInterval: 1}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "log_interval") {
		t.Errorf("error %v", err)
	}
}

func TestCheckpointNames(t *testing.T) {
	if got := CheckpointName("0.9999", 50000); got != "ema_0.9999_050000.pt" {
		t.Errorf("CheckpointName = %q", got)
	}
	if got := CheckpointName("0.9999", 1234567); got != "ema_0.9999_1234567.pt" {
		t.Errorf("CheckpointName past six digits = %q", got)
	}
	for path, want := range map[string]int{
		"runs/x/ema_0.9999_050000.pt":   50000,
		"ema_0.9999_000020.pt":          20,
		"ema_0.9999_040000.safetensors": 40000,
		"/a/model_0.9999_002000.pt":     2000,
	} {
		if got, err := ResumeStepOf(path); err != nil || got != want {
			t.Errorf("ResumeStepOf(%q) = %d, %v; want %d", path, got, err, want)
		}
	}
	for _, bad := range []string{"ema.pt", "ema_0.9999_05000x.pt", "ema_0.9999_050000.bin", "x_-00001.pt"} {
		if _, err := ResumeStepOf(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("ResumeStepOf(%q): error %v, want one naming the file", bad, err)
		}
	}
}
