package text

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
)

func TestCustomVocabMulti30k(t *testing.T) {
	p := testenv.Shared(t, "data", "multi30k_de_en_tok", "vocab.txt")
	cv, err := LoadCustomVocab(p)
	if err != nil {
		t.Fatal(err)
	}
	// README: 13,639 file tokens + 4 specials; line k gets id k+3.
	if cv.VocabSize() != 13643 || cv.PadID() != 3 || cv.SepID() != 1 {
		t.Fatalf("size %d pad %d sep %d", cv.VocabSize(), cv.PadID(), cv.SepID())
	}
	raw, _ := os.ReadFile(p)
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	for _, k := range []int{1, 2, 500, len(lines)} {
		if id, _ := cv.ID(lines[k-1]); id != k+3 {
			t.Fatalf("line %d %q has id %d", k, lines[k-1], id)
		}
	}
	s := "a man in a blue shirt  zzqx ."
	ids := cv.Encode(s)
	if len(ids) != 10 || ids[0] != StartID || ids[9] != EndID || ids[7] != UnkID {
		t.Fatalf("Encode = %v", ids)
	}
	if got := cv.Decode(append(ids, PadID, PadID)); got != "[START] a man in a blue shirt [UNK] . [END]" {
		t.Fatalf("Decode = %q", got)
	}
}

func TestCustomVocabDecodeJoiners(t *testing.T) {
	cv := writeCustom(t, "new@@\nyork\n__\nx\n")
	ids := cv.Encode("new@@ york __ x")
	if got := cv.Decode(ids); got != "[START] newyork x [END]" {
		t.Fatalf("Decode = %q", got)
	}
}

func TestCustomVocabErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ content, want string }{
		{"a\nb\na\n", `:3: token "a" already has id 4`},
		{"a\n[PAD]\n", `:2: token "[PAD]" is reserved`},
		{"\n\n", "no tokens"},
	} {
		p := filepath.Join(dir, "v.txt")
		os.WriteFile(p, []byte(tc.content), 0o644)
		if _, err := LoadCustomVocab(p); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.content, err, tc.want)
		}
	}
	// "token count" lines: the first field is the token.
	cv := writeCustom(t, "hello 12\nworld\t3\n")
	if !slices.Equal(cv.Encode("hello world"), []int{0, 4, 5, 1}) {
		t.Fatal(cv.Encode("hello world"))
	}
}

func writeCustom(t *testing.T, content string) *CustomVocab {
	t.Helper()
	p := filepath.Join(t.TempDir(), "v.txt")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	cv, err := LoadCustomVocab(p)
	if err != nil {
		t.Fatal(err)
	}
	return cv
}

func TestLoadPicksMode(t *testing.T) {
	wpPath := oracleDir + "vocab_uncased.txt"
	tok, err := Load("bert:" + wpPath)
	if wp, ok := tok.(*WordPiece); err != nil || !ok || !wp.norm.lowercase {
		t.Fatalf("bert: %T %v", tok, err)
	}
	tok, err = Load("bert-cased:" + oracleDir + "vocab_cased.txt")
	if wp, ok := tok.(*WordPiece); err != nil || !ok || wp.norm.lowercase {
		t.Fatalf("bert-cased: %T %v", tok, err)
	}
	if _, err := Load("bert"); err == nil || !strings.Contains(err.Error(), "bert:PATH") {
		t.Fatalf("bare bert: %v", err)
	}
	// Any other value is the own-vocabulary mode...
	tok, err = Load(filepath.Join("..", "..", "shared", "x")) // (missing: error)
	if err == nil {
		t.Fatalf("missing custom vocab: %T", tok)
	}
	custom := filepath.Join(t.TempDir(), "v.txt")
	os.WriteFile(custom, []byte("a\nb\n"), 0o644)
	tok, err = Load(custom)
	if _, ok := tok.(*CustomVocab); err != nil || !ok {
		t.Fatalf("path: %T %v", tok, err)
	}
	// ...and a BERT vocab given without "bert:" gets a hint.
	if _, err := Load(wpPath); err == nil || !strings.Contains(err.Error(), "bert:PATH") {
		t.Fatalf("BERT vocab as custom: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("missing vocab accepted")
	}
}
