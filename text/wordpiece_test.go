package text

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tinyWordPiece builds a vocab by hand: ids are positions in this list.
func tinyWordPiece(t *testing.T, lowercase bool) *WordPiece {
	t.Helper()
	toks := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", // 0-4
		"how", "can", "i", "make", "friends", "?", // 5-10
		"un", "##aff", "##able", "##a", "##ff", // 11-15
		"don", "'", "t", "do", "not", "know", ",", ".", "it", "s", "he", "##llo", "world", // 16-28
		"cafe", "café", "x"}
	wp, err := NewWordPiece(toks, lowercase)
	if err != nil {
		t.Fatal(err)
	}
	return wp
}

func TestWordPieceGreedyLongestMatch(t *testing.T) {
	wp := tinyWordPiece(t, true)
	for _, tc := range []struct {
		in   string
		want []int
	}{
		// "unaffable" takes the longest continuation ##aff, then ##able.
		{"unaffable", []int{2, 11, 12, 13, 3}},
		// No segmentation for the tail → the whole word is [UNK].
		{"unaffz", []int{2, 1, 3}},
		{"How can I make friends?", []int{2, 5, 6, 7, 8, 9, 10, 3}},
		{"Café", []int{2, 29, 3}}, // uncased strips the accent
		{"x[SEP]x", []int{2, 31, 3, 31, 3}},
		{strings.Repeat("x", 101), []int{2, 1, 3}},
	} {
		if got := wp.Encode(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Encode(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	cased := tinyWordPiece(t, false)
	if got := cased.Encode("café Café"); !slices.Equal(got, []int{2, 30, 1, 3}) {
		t.Errorf("cased: %v", got)
	}
}

func TestWordPieceDecode(t *testing.T) {
	wp := tinyWordPiece(t, true)
	for _, tc := range []struct {
		ids  []int
		want string
	}{
		{[]int{2, 5, 6, 7, 8, 9, 10, 3, 0, 0}, "[CLS] how can i make friends? [SEP]"},
		{[]int{11, 12, 13}, "unaffable"},
		{[]int{16, 17, 18}, "don't"},
		{[]int{7, 19, 20, 21, 23}, "i don't know."},
		{[]int{24, 17, 25, 22, 26, 27, 28}, "it's, hello world"},
		{[]int{14, 5}, "##a how"},               // a leading continuation keeps its ##
		{[]int{5, 0, 5, 0, 0}, "how [PAD] how"}, // inner pads stay, trailing go
		{[]int{5, 999, -1, 6}, "how can"},       // ids outside the vocab are skipped
		{nil, ""},
	} {
		if got := wp.Decode(tc.ids); got != tc.want {
			t.Errorf("Decode(%v) = %q, want %q", tc.ids, got, tc.want)
		}
	}
}

// TestCleanUpSpaces checks each replacement of the reference's clean-up
// and that " do not" is rewritten by the first pass only.
func TestCleanUpSpaces(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a . b ? c ! d , e", "a. b? c! d, e"},
		{"it ' s", "it's"},
		{"i ' m", "i'm"}, // " ' " goes first, leaving "i'm"
		{"ca n't", "can't"},
		{"he 's we 've they 're i 'm", "he's we've they're i'm"},
		{"i do not", "i don't"},
		{"do not", "do not"}, // the rule needs the leading space
	} {
		if got := JoinWordPieces(strings.Fields(tc.in)); got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := cleanUpSpaces("i do not", false); got != "i do not" {
		t.Errorf("transformers pass rewrote do not: %q", got)
	}
}

func TestLoadWordPieceErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v.txt")
	os.WriteFile(p, []byte("[PAD]\n[CLS]\n[SEP]\nhello\n"), 0o644)
	if _, err := LoadWordPiece(p, true); err == nil || !strings.Contains(err.Error(), "[UNK]") || !strings.Contains(err.Error(), p) {
		t.Fatalf("err = %v", err)
	}
	if _, err := LoadWordPiece(filepath.Join(dir, "missing.txt"), true); err == nil {
		t.Fatal("missing file accepted")
	}
	// Trailing whitespace is trimmed; a duplicate takes the later id.
	os.WriteFile(p, []byte("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhi \r\nhi\n"), 0o644)
	wp, err := LoadWordPiece(p, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := wp.Encode("hi"); !slices.Equal(got, []int{2, 5, 3}) || wp.VocabSize() != 6 || wp.MaskID() != -1 {
		t.Fatalf("Encode = %v, size %d, mask %d", got, wp.VocabSize(), wp.MaskID())
	}
	if _, ok := wp.Token(4); ok {
		t.Fatal("id 4 (shadowed duplicate) has a token")
	}
}
