package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBenchGemmJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "bench", "gemm", "--shapes", "7x5x3,16x16x16", "--trans", "TN",
		"--impl", "ours,gonum", "--threads", "1", "--json", "--min-time", "1ms")
	if code != 0 {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 4 JSON lines (2 shapes × 2 impls), got %d: %q", len(lines), out)
	}
	var r gemmResult
	if err := json.Unmarshal([]byte(lines[1]), &r); err != nil {
		t.Fatal(err)
	}
	if r.Op != "sgemm" || r.Trans != "TN" || r.M != 7 || r.K != 5 || r.N != 3 || r.Threads != 1 || r.Impl != "gonum" || !(r.GFLOPS > 0) {
		t.Fatalf("unexpected result %+v", r)
	}
}

func TestBenchGemmTable(t *testing.T) {
	code, out, errOut := runCLI(t, "bench", "gemm", "--shapes", "9x9x9", "--min-time", "1ms")
	if code != 0 || !strings.Contains(out, "9x9x9") || !strings.Contains(out, "ours") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestBenchGemmBadInput(t *testing.T) {
	for _, c := range []struct{ args, want string }{
		{"--shapes 4x4x4,4x0x4", `--shapes: item 2 "4x0x4"`},
		{"--shapes 4x4", `--shapes: item 1 "4x4"`},
		{"--trans XY", `--trans: "XY"`},
		{"--impl blas", `--impl: "blas"`},
		{"--threads 0", "--threads: 0"},
		{"--min-reps 0", "--min-reps: 0"},
	} {
		code, _, errOut := runCLI(t, append([]string{"bench", "gemm"}, strings.Fields(c.args)...)...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: code %d, stderr %q, want it to mention %q", c.args, code, errOut, c.want)
		}
	}
	code, _, errOut := runCLI(t, "bench", "nope")
	if code != 1 || !strings.Contains(errOut, `unknown kind "nope"`) || !strings.Contains(errOut, "gemm") {
		t.Errorf("bench nope: code %d, stderr %q", code, errOut)
	}
}

func TestBenchGemmList(t *testing.T) {
	code, out, _ := runCLI(t, "bench", "gemm", "--list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != len(defaultGemmShapes) || lines[0] != "NN 4096x128x512" || lines[len(lines)-1] != "TN 4096x2048x512" {
		t.Fatalf("code %d, output %q", code, out)
	}
}
