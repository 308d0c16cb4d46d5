package metrics

import (
	"math"
	"slices"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// TestBLEUEdgeCases: values derived by hand from NLTK's definition.
func TestBLEUEdgeCases(t *testing.T) {
	cases := []struct {
		name     string
		hyp, ref string
		want     float64
	}{
		{"empty hypothesis", "", "a man", 0},
		{"no unigram match", "x y z", "a b c", 0},
		{"identical", "a man is walking .", "a man is walking .", 1},
		// h = 1: orders 2..4 have no match and stay 0 (method4 needs h > 1), so
		// they drop out; p1 = 1 and BP = exp(1 - 2/1).
		{"one word", "a", "a man", math.Exp(-1)},
		// h = 2, r = 3: p1 = p2 = 1; orders 3 and 4 have no n-gram (denominator
		// max(1, 0) = 1) and are smoothed with ln 2: p3 = 1/(2·5/ln2),
		// p4 = 1/(4·5/ln2); BP = exp(1 - 3/2).
		{"two words", "a man", "man a man", math.Exp(-0.5) * math.Exp(0.25*math.Log(math.Ln2/10)+0.25*math.Log(math.Ln2/20))},
	}
	for _, c := range cases {
		if got := BLEU(c.hyp, c.ref); !relClose(got, c.want, 1e-15) {
			t.Errorf("%s: BLEU(%q, %q) = %.17g, want %.17g", c.name, c.hyp, c.ref, got, c.want)
		}
	}
}

// TestEvalScriptHelpers: the cleanup and length quirks of eval_seq2seq.py.
func TestEvalScriptHelpers(t *testing.T) {
	e := BertSpecials.Clean(Example{Source: "[CLS] hi [SEP]", Reference: " [CLS] how are you? [SEP]\n", Recover: "[CLS] how are you? [SEP] [PAD] [PAD]"})
	if e.Source != " hi " || e.Reference != " how are you? " || e.Recover != " how are you?   " {
		t.Errorf("Clean = %+v", e)
	}
	if n := AvgLenTokens(" how are you? "); n != 5 {
		t.Errorf("AvgLenTokens = %d, want 5 (empty strings count)", n)
	}
	if n := AvgLenTokens(""); n != 1 {
		t.Errorf("AvgLenTokens(\"\") = %d, want 1", n)
	}
	if d := Dist1("a b a b"); d != 0.5 {
		t.Errorf("Dist1 = %v, want 0.5", d)
	}
	if d := Dist1("   "); d != 0 {
		t.Errorf("Dist1 of an empty line = %v, want 0", d)
	}
	// div-4 pools 4-grams of each sentence but never across sentences.
	if d := InterDistinctN([]string{"a b c d", "a b c d e", "x y"}, 4); d != 2.0/3 {
		t.Errorf("div-4 = %v, want 2/3", d)
	}
	if s := SelfBLEU([]string{"only one"}); s != 0 {
		t.Errorf("SelfBLEU of one candidate = %v, want 0", s)
	}
	// The majority candidate wins MBR; on an exact tie the first does.
	if k := SelectMBR([]string{"x y z w", "a man is walking .", "a man is walking .", "a dog is walking ."}); k != 1 {
		t.Errorf("SelectMBR = %d, want 1", k)
	}
	if k := SelectMBR([]string{"p q r s", "t u v w"}); k != 0 {
		t.Errorf("SelectMBR tie = %d, want 0", k)
	}
}

// TestROUGELHand: LCS-based F-measure on a hand-checked pair.
func TestROUGELHand(t *testing.T) {
	// pred: the cat sat on mat (5), target: the cat is on the mat (6), LCS = the cat on mat = 4.
	got := ROUGEL("The cat sat on mat!", "the cat is on the mat")
	p, r := 4.0/5, 4.0/6
	if want := float32(2 * p * r / (p + r)); got.FMeasure != want || got.Precision != float32(p) || got.Recall != float32(r) {
		t.Errorf("ROUGEL = %+v, want F %v", got, want)
	}
	if got := ROUGEL("", "a"); got != (ROUGEScore{}) {
		t.Errorf("ROUGEL of empty prediction = %+v", got)
	}
}

// TestThreadCountIndependent: per-line work is split over threads, but
// every line writes its own slot, so results are identical.
func TestThreadCountIndependent(t *testing.T) {
	c := benchCandidates(300, 4)
	seeds := make([][]Example, 4)
	for k := range seeds {
		seeds[k] = make([]Example, len(c))
		for i := range c {
			seeds[k][i] = Example{Recover: c[i][k], Reference: c[i][0]}
		}
	}
	run := func() (Scores, float64, []int) {
		_, from := MBR(seeds)
		sb, _ := Diversity(c)
		return Score(seeds[1], Tokenize13a), sb, from
	}
	prev := parallel.SetThreads(1)
	s1, sb1, from1 := run()
	parallel.SetThreads(3)
	s3, sb3, from3 := run()
	parallel.SetThreads(prev)
	if s1 != s3 || sb1 != sb3 || !slices.Equal(from1, from3) {
		t.Errorf("1 thread: %+v %v; 3 threads: %+v %v", s1, sb1, s3, sb3)
	}
}

// TestPySum: Python 3.12+ sum() keeps what a plain sum loses.
func TestPySum(t *testing.T) {
	cases := []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{2.5}, 2.5},
		{[]float64{1e100, 1, -1e100}, 1}, // plain left-to-right gives 0
		{[]float64{0.1, 0.1, 0.1}, 0.30000000000000004}, // the correctly rounded sum
		{[]float64{math.Copysign(0, -1)}, 0},            // 0 + -0.0 = +0.0 in Python
	}
	for _, c := range cases {
		if got := PySum(c.xs); got != c.want || math.Signbit(got) != math.Signbit(c.want) {
			t.Errorf("PySum(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}
