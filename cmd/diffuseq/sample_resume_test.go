//go:build unix

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// An interrupted split decode keeps its finished batches and the same
// command continues it to the files an uninterrupted decode writes.
func TestSampleResumeAfterInterrupt(t *testing.T) {
	run := writeSampleRun(t)
	tmp := t.TempDir()
	args := func(out string, extra ...string) []string {
		return append([]string{"sample", "--model", run, "--split", "test", "--seed", "5", "--steps", "10", "--bsz", "1", "--out", out}, extra...)
	}
	whole := filepath.Join(tmp, "whole")
	if code, _, stderr := runCLI(t, args(whole)...); code != 0 {
		t.Fatalf("uninterrupted: code %d\n%s", code, stderr)
	}

	// Interrupt (a real SIGINT) once the first batch is saved.
	out := filepath.Join(tmp, "out")
	sampleSavedHook = func(ctx context.Context, done int) {
		if done == 1 {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			<-ctx.Done()
		}
	}
	code, _, stderr := runCLI(t, args(out)...)
	sampleSavedHook = nil
	if code == 0 || !strings.Contains(stderr, "stopped after 1 of 3 sentences") || !strings.Contains(stderr, "run the same command to continue") {
		t.Fatalf("interrupted: code %d\n%s", code, stderr)
	}
	rowsPath, statePath := resumePaths(out, 0, 5)
	ref, ours := seedFileNames(out, 0, 5)
	for _, p := range []string{rowsPath, statePath} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("after the interrupt: %v", err)
		}
	}
	if _, err := os.Stat(ref); err == nil {
		t.Fatalf("%s written by an interrupted decode", ref)
	}
	if objs, _ := sampleJSONLines(t, rowsPath); len(objs) != 1 {
		t.Fatalf("%s: %d rows saved, want 1", rowsPath, len(objs))
	}

	// Other settings are refused, naming the one that differs.
	code, _, stderr = runCLI(t, args(out, "--top-p", "1.5")...)
	if code == 0 || !strings.Contains(stderr, "--top-p: saved 0, now 1.5") || !strings.Contains(stderr, statePath) {
		t.Fatalf("other settings: code %d\n%s", code, stderr)
	}

	code, _, stderr = runCLI(t, args(out)...)
	if code != 0 || !strings.Contains(stderr, "continuing at sentence 2 of 3") || !strings.Contains(stderr, "over 2 runs") {
		t.Fatalf("continued: code %d\n%s", code, stderr)
	}
	wref, wours := seedFileNames(whole, 0, 5)
	for _, pair := range [][2]string{{ref, wref}, {ours, wours}} {
		got, err1 := os.ReadFile(pair[0])
		want, err2 := os.ReadFile(pair[1])
		if err1 != nil || err2 != nil || string(got) != string(want) {
			t.Fatalf("%s differs from the uninterrupted %s (%v, %v)\n%s\n%s", pair[0], pair[1], err1, err2, got, want)
		}
	}
	for _, p := range []string{rowsPath, statePath} {
		if _, err := os.Stat(p); err == nil {
			t.Fatalf("%s left behind after the decode finished", p)
		}
	}
}

// A damaged or inconsistent partial decode is an error naming the file.
func TestSampleResumeBadState(t *testing.T) {
	run := writeSampleRun(t)
	out := t.TempDir()
	rowsPath, statePath := resumePaths(out, 0, 101)
	args := []string{"sample", "--model", run, "--split", "test", "--steps", "10", "--bsz", "1", "--out", out}
	writeSampleFile(t, statePath, "{not json")
	if code, _, stderr := runCLI(t, args...); code == 0 || !strings.Contains(stderr, statePath) || strings.Contains(stderr, "panic") {
		t.Fatalf("bad JSON: code %d\n%s", code, stderr)
	}
	// A state counting more rows than the partial file holds.
	sampleSavedHook = func(ctx context.Context, done int) {
		if done == 2 {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			<-ctx.Done()
		}
	}
	os.Remove(statePath)
	code, _, stderr := runCLI(t, args...)
	sampleSavedHook = nil
	if code == 0 {
		t.Fatalf("not interrupted\n%s", stderr)
	}
	raw, _ := os.ReadFile(rowsPath)
	writeSampleFile(t, rowsPath, strings.SplitAfter(string(raw), "\n")[0])
	if code, _, stderr := runCLI(t, args...); code == 0 || !strings.Contains(stderr, "1 lines, but") {
		t.Fatalf("short partial file: code %d\n%s", code, stderr)
	}
}
