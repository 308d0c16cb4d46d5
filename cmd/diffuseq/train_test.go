package main

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/diffuseq-go/diffuseq/synth"
	"github.com/diffuseq-go/diffuseq/train"
)

// TestMain lets a test run the binary's main in a child process (the same
// test executable with DIFFUSEQ_TEST_MAIN=1), so a test can kill -9 it.
func TestMain(m *testing.M) {
	if os.Getenv("DIFFUSEQ_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func synthData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	c, err := synth.Generate(synth.Config{Seed: 3, TrainSize: 128, ValidSize: 16, TestSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func tinyTrainArgs(data, out string, steps string) []string {
	return []string{"train", "--data", data, "--vocab", filepath.Join(data, "vocab.txt"), "--model", "tiny",
		"--hidden_size", "32", "--intermediate_size", "64", "--hidden_dim", "16", "--hidden_t_dim", "16", "--seq_len", "24",
		"--diff_steps", "50", "--bsz", "8", "--microbatch", "4", "--learning_steps", steps, "--save_interval", "2",
		"--log_interval", "2", "--eval_interval", "5", "--out", out}
}

// TestTrainKillNineAndResume kills a training process with SIGKILL while it
// runs, resumes it, and requires the final checkpoint to be byte-identical
// to that of an uninterrupted run.
func TestTrainKillNineAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	data := synthData(t)
	straight := filepath.Join(t.TempDir(), "straight")
	if code, out, errOut := runCLI(t, tinyTrainArgs(data, straight, "80")...); code != 0 {
		t.Fatalf("straight run: %d\n%s\n%s", code, out, errOut)
	}

	killed := filepath.Join(t.TempDir(), "killed")
	cmd := exec.Command(os.Args[0], tinyTrainArgs(data, killed, "80")...)
	cmd.Env = append(os.Environ(), "DIFFUSEQ_TEST_MAIN=1", "DIFFUSEQ_THREADS=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once a checkpoint exists, i.e. mid-run.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(killed, "checkpoint.safetensors")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no checkpoint after 60 s; stderr:\n%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	if err == nil {
		t.Skip("the child finished before the kill; nothing to resume")
	}
	code, out, errOut := runCLI(t, "train", "--resume", killed)
	if code != 0 {
		t.Fatalf("resume: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "resuming") {
		t.Errorf("resume output: %q", out)
	}
	a, _ := os.ReadFile(filepath.Join(straight, "checkpoint.safetensors"))
	b, _ := os.ReadFile(filepath.Join(killed, "checkpoint.safetensors"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("final checkpoints differ (%d vs %d bytes) after kill -9 and resume", len(a), len(b))
	}
}

func TestTrainErrors(t *testing.T) {
	data := synthData(t)
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "train.jsonl"), []byte("{\"src\": \"a b\", \"trg\": \"c\"}\n{\"src\": 3, \"trg\": \"x\"}\n"), 0o644)
	os.WriteFile(filepath.Join(bad, "valid.jsonl"), []byte("{\"src\": \"a\", \"trg\": \"c\"}\n"), 0o644)
	cfgFile := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(cfgFile, []byte(`{"lr": 0.001, "learnin_steps": 5}`), 0o644)
	out := func() string { return filepath.Join(t.TempDir(), "run") }
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"train"}, "--data is required"},
		{[]string{"train", "--data", "/nonexistent", "--out", out()}, "/nonexistent"},
		{[]string{"train", "--data", data, "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"train", "--data", data, "--model", "huge", "--out", out()}, `unknown model size "huge"`},
		{[]string{"train", "--data", data, "--schedule_sampler", "x", "--out", out()}, `schedule_sampler "x"`},
		{[]string{"train", "--data", data, "--vocab", "/no/vocab.txt", "--out", out()}, "/no/vocab.txt"},
		{[]string{"train", "--config", cfgFile}, `unknown field "learnin_steps"`},
		{[]string{"train", "--data", bad, "--out", out()}, "train.jsonl:2"},
		{[]string{"train", "--resume", t.TempDir()}, "checkpoint.safetensors"},
		{[]string{"train", "--data", data, "--init", "jax", "--out", out()}, `init "jax"`},
	}
	// With --skip-bad the bad line is counted, not fatal.
	if code, out, errOut := runCLI(t, "train", "--data", bad, "--skip-bad", "--model", "tiny", "--hidden_size", "32",
		"--intermediate_size", "64", "--hidden_dim", "16", "--hidden_t_dim", "16", "--seq_len", "16", "--diff_steps", "20",
		"--bsz", "1", "--microbatch", "1", "--learning_steps", "1", "--vocab", "", "--out", out()); code != 0 || !strings.Contains(out, "skipped bad lines: 1 in train.jsonl") {
		t.Errorf("--skip-bad: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, c.args...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want it to mention %q", c.args, code, errOut, c.want)
		}
		if strings.Contains(errOut, "goroutine ") {
			t.Errorf("%v: panic trace in stderr:\n%s", c.args, errOut)
		}
	}
}

// TestTrainInitTorch: --init torch is recorded in the run folder and the
// run's initial weights are train.InitialModel's for that stream (one
// update at a tiny learning rate moves them by far less than the gap to
// the native stream's).
func TestTrainInitTorch(t *testing.T) {
	data := synthData(t)
	run := filepath.Join(t.TempDir(), "run")
	args := append(tinyTrainArgs(data, run, "1"), "--init", "torch", "--lr", "1e-9")
	if code, out, errOut := runCLI(t, args...); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	cfg, err := train.LoadConfigFile(filepath.Join(run, train.ArgsFile), train.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Init != train.InitTorch {
		t.Fatalf("training_args.json init %q, want torch", cfg.Init)
	}
	m, _, err := train.LoadWeights(run, "live")
	if err != nil {
		t.Fatal(err)
	}
	want, err := train.InitialModel(cfg, m.Config)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Init = train.InitNative
	native, err := train.InitialModel(cfg, m.Config)
	if err != nil {
		t.Fatal(err)
	}
	got, w, nat := m.WordEmbedding.Data(), want.WordEmbedding.Data(), native.WordEmbedding.Data()
	var dTorch, dNative float64
	for i := range got {
		dTorch = max(dTorch, math.Abs(float64(got[i]-w[i])))
		dNative = max(dNative, math.Abs(float64(got[i]-nat[i])))
	}
	if dTorch > 1e-6 || dNative < 0.1 {
		t.Fatalf("max |E - torch init| %.3g, |E - native init| %.3g", dTorch, dNative)
	}
}
