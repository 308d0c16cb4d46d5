package metrics

import (
	"strings"
	"testing"
)

// FuzzMetrics: arbitrary text never panics, and the invariants hold:
// scores stay in range, tokenisers give single-spaced tokens, and a
// sentence of four or more tokens has BLEU 1 against itself.
func FuzzMetrics(f *testing.F) {
	for _, s := range []string{"", "a", "a man is walking .", "1,000.5 «x» €", "\x1c\u3000İK", "the the the the"} {
		f.Add(s, "a man is walking .")
	}
	f.Fuzz(func(t *testing.T, hyp, ref string) {
		if len(hyp) > 256 || len(ref) > 256 {
			t.Skip("long inputs add nothing but time: every metric is per token, and minimising long inputs is slow")
		}
		b := BLEU(hyp, ref)
		if !(b >= 0 && b <= 1+1e-12) {
			t.Fatalf("BLEU(%q, %q) = %v", hyp, ref, b)
		}
		r := ROUGEL(hyp, ref)
		if !(r.FMeasure >= 0 && r.FMeasure <= 1) {
			t.Fatalf("ROUGEL(%q, %q) = %+v", hyp, ref, r)
		}
		if len(Fields(hyp)) >= 4 {
			if s := BLEU(hyp, hyp); s != 1 {
				t.Fatalf("BLEU(%q, itself) = %v", hyp, s)
			}
		}
		for _, tok := range []Tokenizer{Tokenize13a, TokenizeIntl} {
			out := tok.Tokenize(hyp)
			if strings.Contains(out, "  ") || out != strings.TrimSpace(out) {
				t.Fatalf("%s(%q) = %q is not single-spaced", tok, hyp, out)
			}
		}
		s := SacreSentenceBLEU(hyp, []string{ref}, Tokenize13a).Score
		if !(s >= 0 && s <= 100+1e-9) {
			t.Fatalf("SacreSentenceBLEU(%q, %q) = %v", hyp, ref, s)
		}
		if k := SelectMBR([]string{hyp, ref, hyp}); k < 0 || k > 2 {
			t.Fatalf("SelectMBR = %d", k)
		}
	})
}
