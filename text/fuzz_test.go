package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzWordPiece: for any input, both BERT modes and the custom vocab
// encode without panicking, wrap the pieces in their start and end
// tokens, return ids inside the vocab, and decode without panicking.
// Run: go test -fuzz=FuzzWordPiece -fuzztime=30s ./text
func FuzzWordPiece(f *testing.F) {
	for _, s := range []string{"", "Hello, World!", "Café naïve", "中文 한국어 日本語", "a[SEP]b[CLS", "\x00\xff\xfe",
		"e\u0301\u0323", "İ", strings.Repeat("ab", 60), "😀👍🏽\u200d", "\u00ad\ufeff\u200b", "##x ## [MASK]"} {
		f.Add(s)
	}
	uncased, err := LoadWordPiece(oracleDir+"vocab_uncased.txt", true)
	if err != nil {
		f.Fatal(err)
	}
	cased, err := LoadWordPiece(oracleDir+"vocab_cased.txt", false)
	if err != nil {
		f.Fatal(err)
	}
	cv, err := NewCustomVocab([]string{"a", "b", "the", "é"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range []Tokenizer{uncased, cased, cv} {
			ids := tok.Encode(s)
			if len(ids) < 2 {
				t.Fatalf("%T: %q → %v", tok, s, ids)
			}
			for _, id := range ids {
				if id < 0 || id >= tok.VocabSize() {
					t.Fatalf("%T: id %d out of range for %q", tok, id, s)
				}
			}
			// Each piece covers at least one normalised code point, and
			// normalisation at most triples a code point (CJK spacing).
			if max := 2 + 3*utf8.RuneCountInString(s); len(ids) > max {
				t.Fatalf("%T: %d ids for %d runes", tok, len(ids), utf8.RuneCountInString(s))
			}
			out := tok.Decode(ids)
			if !utf8.ValidString(out) && utf8.ValidString(s) {
				t.Fatalf("%T: invalid UTF-8 decoding %q", tok, out)
			}
		}
		wp := uncased.Encode(s)
		if wp[0] != uncased.ClsID() || wp[len(wp)-1] != uncased.SepID() {
			t.Fatalf("not wrapped in [CLS] … [SEP]: %v", wp)
		}
	})
}
