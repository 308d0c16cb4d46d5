package metrics

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// nltkCases is testdata/metrics/nltk.json, written by gen_nltk.py from
// NLTK 3.8 and NumPy (see testdata/metrics/README.md).
type nltkCases struct {
	Versions map[string]string `json:"versions"`
	BLEU     []struct {
		Hyp   string   `json:"h"`
		Refs  []string `json:"r"`
		BLEU  float64  `json:"b"`
		Dist1 float64  `json:"d1"`
		Len   int      `json:"len"`
	} `json:"bleu"`
	Sets []struct {
		Cands    []string `json:"c"`
		SelfBLEU float64  `json:"sb"`
		Div4     float64  `json:"d4"`
		MBR      int      `json:"mbr"`
	} `json:"sets"`
	Clean []struct {
		Raw       Example `json:"raw"`
		Source    string  `json:"source"`
		Reference string  `json:"reference"`
		Recover   string  `json:"recover"`
		BLEU      float64 `json:"b"`
		Len       int     `json:"len"`
	} `json:"clean"`
	CR struct {
		Log [][2]float64 `json:"log"`
		Exp [][2]float64 `json:"exp"`
	} `json:"cr"`
	NumPy []struct {
		X    []float64 `json:"x"`
		Sum  float64   `json:"sum"`
		Mean float64   `json:"mean"`
	} `json:"numpy"`
}

func loadNLTKCases(t *testing.T) nltkCases {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "metrics", "nltk.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c nltkCases
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("nltk.json: %v", err)
	}
	if len(c.BLEU) < 1000 || len(c.Sets) < 100 || len(c.Clean) < 100 || len(c.NumPy) < 50 {
		t.Fatalf("nltk.json looks truncated: %d/%d/%d/%d cases", len(c.BLEU), len(c.Sets), len(c.Clean), len(c.NumPy))
	}
	return c
}

// bleuTol is the relative tolerance against NLTK. NLTK's arithmetic is
// reproduced operation by operation (correctly rounded fractions and
// fsum), so the only differences left come from math.Log and math.Exp,
// which may differ from glibc's in the last bit; a few ulps at most.
const bleuTol = 1e-12

// TestSentenceBLEUMatchesNLTK: thousands of random hypothesis/reference
// sets (empty, one-word, repeated n-grams, no overlap, several references,
// Python-only whitespace) against NLTK's sentence_bleu with method4.
func TestSentenceBLEUMatchesNLTK(t *testing.T) {
	c := loadNLTKCases(t)
	exact, worst := 0, 0.0
	for i, k := range c.BLEU {
		refs := make([][]string, len(k.Refs))
		for j, r := range k.Refs {
			refs[j] = Fields(r)
		}
		got := SentenceBLEU(refs, Fields(k.Hyp))
		if got == k.BLEU {
			exact++
		} else if k.BLEU != 0 {
			worst = math.Max(worst, math.Abs(got-k.BLEU)/k.BLEU)
		}
		if !relClose(got, k.BLEU, bleuTol) || (k.BLEU == 0) != (got == 0) {
			t.Errorf("case %d: SentenceBLEU(%q, %q) = %.17g, NLTK %.17g", i, k.Refs, k.Hyp, got, k.BLEU)
		}
		if len(k.Refs) == 1 {
			if b := BLEU(k.Hyp, k.Refs[0]); b != got {
				t.Errorf("case %d: BLEU = %v, SentenceBLEU = %v", i, b, got)
			}
		}
		if d := Dist1(k.Hyp); d != k.Dist1 {
			t.Errorf("case %d: Dist1(%q) = %v, want %v", i, k.Hyp, d, k.Dist1)
		}
		if l := AvgLenTokens(k.Hyp); l != k.Len {
			t.Errorf("case %d: AvgLenTokens(%q) = %d, want %d", i, k.Hyp, l, k.Len)
		}
	}
	t.Logf("NLTK %s: %d/%d BLEU values bit-identical, worst relative difference %.3g",
		c.Versions["nltk"], exact, len(c.BLEU), worst)
	// With correctly rounded log/exp only glibc's rare misroundings remain.
	if exact < len(c.BLEU)*99/100 {
		t.Errorf("only %d/%d BLEU values bit-identical to NLTK", exact, len(c.BLEU))
	}
}

// TestSelfBLEUDiv4MBRMatchNLTK: one line's candidates from several seeds,
// including duplicates (exact MBR ties) and empty outputs.
func TestSelfBLEUDiv4MBRMatchNLTK(t *testing.T) {
	c := loadNLTKCases(t)
	for i, k := range c.Sets {
		if got := SelfBLEU(k.Cands); !relClose(got, k.SelfBLEU, bleuTol) {
			t.Errorf("set %d: SelfBLEU = %.17g, want %.17g", i, got, k.SelfBLEU)
		}
		if got := InterDistinctN(k.Cands, 4); got != k.Div4 {
			t.Errorf("set %d: div-4 = %v, want %v", i, got, k.Div4)
		}
		if got := SelectMBR(k.Cands); got != k.MBR {
			t.Errorf("set %d: SelectMBR(%q) = %d, want %d", i, k.Cands, got, k.MBR)
		}
	}
}

// TestCleanMatchesEvalScript: the special-token cleanup of raw decode lines.
func TestCleanMatchesEvalScript(t *testing.T) {
	c := loadNLTKCases(t)
	var ex []Example
	var bleus, lens []float64
	for i, k := range c.Clean {
		got := BertSpecials.Clean(k.Raw)
		want := Example{Source: k.Source, Reference: k.Reference, Recover: k.Recover}
		if got != want {
			t.Errorf("line %d: Clean(%+v) = %+v, want %+v", i, k.Raw, got, want)
		}
		if b := BLEU(got.Recover, got.Reference); !relClose(b, k.BLEU, bleuTol) {
			t.Errorf("line %d: BLEU %.17g, want %.17g", i, b, k.BLEU)
		}
		ex, bleus, lens = append(ex, got), append(bleus, k.BLEU), append(lens, float64(k.Len))
	}
	s := Score(ex, Tokenize13a)
	if s.N != len(ex) || !relClose(s.BLEU, Mean(bleus), bleuTol) || s.AvgLen != Mean(lens) {
		t.Errorf("Score = %+v, want BLEU %v AvgLen %v", s, Mean(bleus), Mean(lens))
	}
}

// TestPairwiseSumMatchesNumPy: np.sum and np.mean reproduced bit for bit.
func TestPairwiseSumMatchesNumPy(t *testing.T) {
	c := loadNLTKCases(t)
	for i, k := range c.NumPy {
		if got := PairwiseSum(k.X); got != k.Sum {
			t.Errorf("case %d (n=%d): PairwiseSum = %.17g, np.sum %.17g", i, len(k.X), got, k.Sum)
		}
		if got := Mean(k.X); got != k.Mean {
			t.Errorf("case %d (n=%d): Mean = %.17g, np.mean %.17g", i, len(k.X), got, k.Mean)
		}
	}
}

// TestLogExpCorrectlyRounded: logCR and expCR against 60-digit decimal
// values rounded to float64, over the argument ranges BLEU uses.
func TestLogExpCorrectlyRounded(t *testing.T) {
	c := loadNLTKCases(t)
	if len(c.CR.Log) < 1000 || len(c.CR.Exp) < 1000 {
		t.Fatalf("nltk.json: %d log and %d exp cases", len(c.CR.Log), len(c.CR.Exp))
	}
	goOff := 0
	for _, k := range c.CR.Log {
		if got := logCR(k[0]); got != k[1] {
			t.Errorf("logCR(%v) = %v, want %v", k[0], got, k[1])
		}
		if math.Log(k[0]) != k[1] {
			goOff++
		}
	}
	for _, k := range c.CR.Exp {
		if got := expCR(k[0]); got != k[1] {
			t.Errorf("expCR(%v) = %v, want %v", k[0], got, k[1])
		}
		if math.Exp(k[0]) != k[1] {
			goOff++
		}
	}
	t.Logf("math.Log/math.Exp are off by an ulp in %d of %d cases", goOff, len(c.CR.Log)+len(c.CR.Exp))
	// Python's math.exp(0), math.exp(1), math.exp(-1) (correctly rounded).
	for x, want := range map[float64]float64{0: 1, 1: 2.718281828459045, -1: 0.36787944117144233} {
		if got := expCR(x); got != want {
			t.Errorf("expCR(%v) = %v, want %v", x, got, want)
		}
	}
	if logCR(1) != 0 || logCR(math.E) != 1 {
		t.Errorf("logCR(1) = %v, logCR(e) = %v", logCR(1), logCR(math.E))
	}
}
