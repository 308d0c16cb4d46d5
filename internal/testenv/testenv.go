// Package testenv finds ../shared (the fixtures, data sets and anchors that
// sit beside the project root) for tests.
//
// A fresh clone without ../shared still passes: tests that need it skip
// with a clear message. Under CI (CI=true) ../shared is always laid out, so
// a missing directory or file is a failure there, never a silent skip.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the repository root (the directory holding go.mod).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Shared returns the path of ../shared joined with elem, after checking
// that it exists. Without it the test skips, or fails under CI.
func Shared(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{Root(t), "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("testenv: %s is missing under CI: %v", p, err)
		}
		t.Skipf("testenv: %s not present (../shared is not beside this clone); skipping", p)
	}
	return p
}
