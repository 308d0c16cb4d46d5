package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoEndToEnd runs the whole demo at a toy size: task, training,
// sampling with a trace, evaluation, and the files it promises.
func TestDemoEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	code, out, errOut := runCLI(t, "demo", "--out", dir, "--steps", "3", "--n", "4", "--sample-steps", "4")
	if code != 0 {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"1. task", "2. training", "3. sampling 4 test sentences", "correct paraphrases", "run folder: " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"checkpoint.safetensors", "log.csv", "loss.svg", "trace.html", "training_args.json", "vocab.txt", "data/train.jsonl"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("run folder lacks %s: %v", f, err)
		}
	}
	// A second demo into the same folder refuses instead of overwriting.
	if code, _, errOut := runCLI(t, "demo", "--out", dir, "--steps", "1"); code == 0 || !strings.Contains(errOut, "already holds a run") {
		t.Errorf("second demo into %s: exit %d, stderr %q", dir, code, errOut)
	}
}
