package text

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSaveLoadDirRoundTrip(t *testing.T) {
	wp, err := LoadWordPiece(oracleDir+"vocab_cased.txt", false)
	if err != nil {
		t.Fatal(err)
	}
	cv, err := NewCustomVocab([]string{"a", "man", "ein", "mann"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []Tokenizer{wp, cv} {
		dir := t.TempDir()
		if err := SaveDir(tok, dir); err != nil {
			t.Fatal(err)
		}
		back, err := LoadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		s := "Ein Mann fährt a man [SEP] ein mann"
		if !slices.Equal(back.Encode(s), tok.Encode(s)) || back.VocabSize() != tok.VocabSize() {
			t.Fatalf("%T: round trip changed the encoding", tok)
		}
		if b, ok := back.(*WordPiece); ok && b.norm.lowercase {
			t.Fatal("cased became uncased")
		}
	}
	// The saved vocab.txt is the loaded file byte for byte.
	dir := t.TempDir()
	SaveDir(wp, dir)
	a, _ := os.ReadFile(oracleDir + "vocab_cased.txt")
	b, _ := os.ReadFile(filepath.Join(dir, "vocab.txt"))
	if string(a) != string(b) {
		t.Fatal("saved vocab.txt differs from the source file")
	}
}

func TestLoadDirErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadDir(dir); err == nil {
		t.Fatal("empty dir accepted")
	}
	os.WriteFile(filepath.Join(dir, TokenizerFile), []byte(`{"kind": "bpe", "vocab_file": "v"}`), 0o644)
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), `unknown tokenizer kind "bpe"`) {
		t.Fatalf("err = %v", err)
	}
	os.WriteFile(filepath.Join(dir, TokenizerFile), []byte(`{"kind": "custom", "vocab_file": "vocab.json"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "vocab.json"), []byte(`{"[START]": 0, "[END]": 1, "[UNK]": 2, "[PAD]": 3, "a": 4, "b": 4}`), 0o644)
	if _, err := LoadDir(dir); err == nil {
		t.Fatal("shared id accepted")
	}
}

// TestLoadDirReferenceRun: a reference run directory has no
// diffuseq_tokenizer.json, only vocab.json or vocab.txt.
func TestLoadDirReferenceRun(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "vocab.json"), []byte(`{"[START]": 0, "[END]": 1, "[UNK]": 2, "[PAD]": 3, "hallo": 4, "welt": 5}`), 0o644)
	tok, err := LoadDir(dir)
	if _, ok := tok.(*CustomVocab); err != nil || !ok || !slices.Equal(tok.Encode("hallo welt x"), []int{0, 4, 5, 2, 1}) {
		t.Fatalf("vocab.json: %T %v", tok, err)
	}
	dir = t.TempDir()
	raw, _ := os.ReadFile(oracleDir + "vocab_uncased.txt")
	os.WriteFile(filepath.Join(dir, "vocab.txt"), raw, 0o644)
	os.WriteFile(filepath.Join(dir, "tokenizer.json"), []byte(`{"version": "1.0"}`), 0o644) // HuggingFace's, ignored
	tok, err = LoadDir(dir)
	if wp, ok := tok.(*WordPiece); err != nil || !ok || !wp.norm.lowercase {
		t.Fatalf("vocab.txt: %T %v", tok, err)
	}
}
