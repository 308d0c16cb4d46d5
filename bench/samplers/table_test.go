package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTable(t *testing.T) {
	dir := t.TempDir()
	// A perfect output and one that repeats a word; ancestral_10 was
	// timed twice, the later rate counts.
	writeFile(t, filepath.Join(dir, "timing.tsv"), "ancestral_10\t2\t1.0\t2.0\nddim_10\t2\t0.5\t4.0\nancestral_10\t2\t0.25\t8.0\n")
	good := `{"recover": "[START] a dog runs fast [END]", "reference": "[START] a dog runs fast [END]", "source": "[START] x [END]"}
{"recover": "[START] a cat sits down [END]", "reference": "[START] a cat sits down [END]", "source": "[START] y [END]"}
`
	writeFile(t, filepath.Join(dir, "ancestral_10", "seed101.json"), good)
	writeFile(t, filepath.Join(dir, "ddim_10", "seed101.json"), strings.ReplaceAll(good, `"recover": "[START] a dog runs fast [END]"`, `"recover": "[START] dog dog dog dog [END]"`))
	var b strings.Builder
	if err := table([]string{"--out", dir, "--full", filepath.Join(dir, "ancestral_10", "seed101.json")}, &b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := []string{
		"| full 2000-step (reference decoder) | 2 | 1.0000 | 1.0000 | 1.0000 | – |",
		"| ancestral_10 | 2 | 1.0000 | 1.0000 | 1.0000 | 8.000 |",
	}
	if len(lines) != 5 || lines[2] != want[0] || lines[3] != want[1] {
		t.Fatalf("table:\n%s", b.String())
	}
	// ddim_10: line 1 has dist-1 1/4, line 2 is perfect → mean 0.625.
	if !strings.HasPrefix(lines[4], "| ddim_10 | 2 |") || !strings.Contains(lines[4], "| 0.6250 | 4.000 |") {
		t.Fatalf("ddim row %q", lines[4])
	}
}

func TestTableBadTiming(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "timing.tsv"), "ancestral_10\t2\t1.0\t2.0\nddim_10 2 0.5\n")
	err := table([]string{"--out", dir}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "timing.tsv:2:") {
		t.Fatalf("want an error naming timing.tsv line 2, got %v", err)
	}
}
