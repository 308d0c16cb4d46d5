package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRanks(t *testing.T) {
	got := ranks([]float64{3, 1, 2, 1})
	if diff := cmp.Diff([]int{4, 1, 3, 2}, got); diff != "" {
		t.Fatalf("ranks (-want +got):\n%s", diff)
	}
}

func TestMostFrequent(t *testing.T) {
	got := mostFrequent(map[int]int{7: 2, 3: 5, 9: 2, 4: 1}, 3)
	if diff := cmp.Diff([]int{3, 7, 9}, got); diff != "" {
		t.Fatalf("mostFrequent (-want +got):\n%s", diff)
	}
}

func TestOutputShares(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.json")
	lines := `{"recover": "[START] black black a . [END]", "reference": "[START] a dog . [END]", "source": "x"}
{"recover": "black man [PAD]", "reference": "a man", "source": "y"}`
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := outputShares(&b, path, 4); err != nil {
		t.Fatal(err)
	}
	// 6 decoded words (3 black), 5 reference words (no black, 2 a).
	for _, want := range []string{"| black | 0.500 | 0.000 |", "| a | 0.167 | 0.400 |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in\n%s", want, b.String())
		}
	}
}

func TestOutputSharesBadLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.json")
	if err := os.WriteFile(path, []byte("{\"recover\": \"a\", \"reference\": \"a\", \"source\": \"s\"}\n{oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := outputShares(&strings.Builder{}, path, 2)
	if err == nil || !strings.Contains(err.Error(), "all.json:2:") {
		t.Fatalf("want an error naming line 2, got %v", err)
	}
}
