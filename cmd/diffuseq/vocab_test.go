package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
	"github.com/diffuseq-go/diffuseq/text"
)

// TestVocabBuildReproducesMulti30kVocab: the word vocabulary built from
// the shared Multi30k training split with --min-freq 2 is byte for byte
// the vocab.txt shipped with it (made by the data set's own rule).
func TestVocabBuildReproducesMulti30kVocab(t *testing.T) {
	dir := testenv.Shared(t, "data", "multi30k_de_en_tok")
	out := filepath.Join(t.TempDir(), "vocab.txt")
	code, stdout, stderr := runCLI(t, "vocab", "build", "--data", dir, "--out", out)
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "13639 word entries from 29000 examples (27275 distinct tokens)") {
		t.Errorf("stdout %q", stdout)
	}
	got, _ := os.ReadFile(out)
	want, err := os.ReadFile(filepath.Join(dir, "vocab.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("built vocab differs from the shared vocab.txt")
	}
}

func TestVocabBuildWordPieceAndSkipBad(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "train.jsonl")
	os.WriteFile(in, []byte(`{"src": "The cat sat.", "trg": "Die Katze saß."}`+"\n"+`{"src": 1}`+"\n"+
		`{"src": "the cats sat", "trg": "die Katzen"}`+"\n"), 0o644)
	out := filepath.Join(dir, "vocab.txt")
	code, _, stderr := runCLI(t, "vocab", "build", "--data", in, "--out", out, "--kind", "wordpiece")
	if code != 1 || !strings.Contains(stderr, in+":2: src: not a string (got a number)") {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "vocab", "build", "--data", dir, "--out", out, "--kind", "wordpiece", "--size", "50", "--skip-bad")
	if code != 0 || !strings.Contains(stdout, "1 bad lines skipped") || !strings.Contains(stderr, "skipping") {
		t.Fatalf("code %d stdout %q stderr %q", code, stdout, stderr)
	}
	wp, err := text.LoadWordPiece(out, true)
	if err != nil {
		t.Fatal(err)
	}
	if wp.VocabSize() > 50 || wp.Decode(wp.Encode("the cats sat.")) != "[CLS] the cats sat. [SEP]" {
		t.Fatalf("size %d, round trip %q", wp.VocabSize(), wp.Decode(wp.Encode("the cats sat.")))
	}
}

func TestVocabBuildUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"vocab"},
		{"vocab", "build"},
		{"vocab", "build", "--data", "x", "--out", "y", "--kind", "bpe"},
		{"vocab", "build", "--data", filepath.Join(t.TempDir(), "missing"), "--out", "y"},
	} {
		if code, _, stderr := runCLI(t, args...); code == 0 || stderr == "" {
			t.Errorf("%q: code %d stderr %q", args, code, stderr)
		}
	}
}

func TestVocabEncode(t *testing.T) {
	vocab := filepath.Join("..", "..", "testdata", "tokenizer", "vocab_uncased.txt")
	code, stdout, stderr := runCLI(t, "vocab", "encode", "--vocab", "bert:"+vocab, "Two dogs, Café!")
	want := "ids:     [2 335 980 123 2255 5 3]\ntokens:  [CLS] two dogs , cafe ! [SEP]\ndecoded: \"[CLS] two dogs, cafe! [SEP]\""
	if code != 0 || !strings.Contains(stdout, want) {
		t.Fatalf("code %d stdout %q stderr %q", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "vocab", "encode", "--vocab", "bert", "x"); code != 1 || !strings.Contains(stderr, "bert:PATH") {
		t.Fatalf("bare bert: code %d stderr %q", code, stderr)
	}
}
