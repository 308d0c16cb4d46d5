package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every mode of bench step runs on the tiny config and reports positive
// wall and CPU times, a FLOP rate and the peak RSS.
func TestBenchStepModes(t *testing.T) {
	for _, mode := range []string{"train", "sample", "fwd"} {
		code, out, errOut := runCLI(t, "bench", "step", "--config", "tiny", "--mode", mode, "--threads", "1",
			"--time", "1ms", "--reps", "2", "--json")
		if code != 0 {
			t.Fatalf("%s: code %d, stderr %q", mode, code, errOut)
		}
		var r stepResult
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: %v in %q", mode, err, out)
		}
		if r.Config != "tiny" || r.Mode != mode || r.Threads != 1 || r.Reps < 2 || !(r.BestMS > 0) || r.MedianMS < r.BestMS ||
			!(r.GFLOPS > 0) || !(r.CPUBestMS > 0) || r.CPUMedianMS < r.CPUBestMS {
			t.Errorf("%s: unexpected result %+v", mode, r)
		}
	}
	// fwd counts the network alone: fewer FLOPs than a sampling step.
	if s, f := stepShapes["tiny"].flops("sample"), stepShapes["tiny"].flops("fwd"); !(f > 0 && f < s) {
		t.Errorf("flops: fwd %g, sample %g", f, s)
	}
}

func TestBenchStepBadInput(t *testing.T) {
	for _, c := range []struct{ args, want string }{
		{"--config huge", `--config "huge"`},
		{"--mode eval", `--mode "eval"`},
	} {
		code, _, errOut := runCLI(t, append([]string{"bench", "step"}, strings.Fields(c.args)...)...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: code %d, stderr %q, want it to mention %q", c.args, code, errOut, c.want)
		}
	}
}
