package metrics

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
)

// sacreFixture is one sacrebleu BLEUScore as stored in metrics.json.
type sacreFixture struct {
	Score      float64    `json:"score"`
	Counts     [4]int     `json:"counts"`
	Totals     [4]int     `json:"totals"`
	Precisions [4]float64 `json:"precisions"`
	BP         float64    `json:"bp"`
	SysLen     int        `json:"sys_len"`
	RefLen     int        `json:"ref_len"`
}

// metricsFixture is ../shared/fixtures/metrics.json: hypothesis/reference
// pairs with values from sacrebleu 2.6 and torchmetrics 1.9.
type metricsFixture struct {
	Pairs []struct {
		Hyp string `json:"hyp"`
		Ref string `json:"ref"`
	} `json:"metric_pairs"`
	Corpus       map[string]sacreFixture `json:"sacrebleu_corpus"`
	Sentence13a  []float64               `json:"sacrebleu_sentence_13a"`
	Chunks13a    []float64               `json:"sacrebleu_corpus_chunks_13a"`
	RougeLPerRow []struct {
		F float64 `json:"rougeL_fmeasure"`
		P float64 `json:"rougeL_precision"`
		R float64 `json:"rougeL_recall"`
	} `json:"torchmetrics_rougeL_per_pair"`
}

func loadMetricsFixture(t *testing.T) metricsFixture {
	t.Helper()
	b, err := os.ReadFile(testenv.Shared(t, "fixtures", "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f metricsFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("metrics.json: %v", err)
	}
	if len(f.Pairs) < 300 || len(f.Sentence13a) != len(f.Pairs) || len(f.RougeLPerRow) != len(f.Pairs) {
		t.Fatalf("metrics.json: %d pairs, %d sentence scores, %d rouge rows",
			len(f.Pairs), len(f.Sentence13a), len(f.RougeLPerRow))
	}
	return f
}

// relClose reports |got-want| <= tol·max(1, |want|).
func relClose(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// TestSacreBLEUCorpusFixture: corpus BLEU under each tokeniser, every
// statistic exact and the score within 1e-9.
func TestSacreBLEUCorpusFixture(t *testing.T) {
	f := loadMetricsFixture(t)
	hyps, refs := make([]string, len(f.Pairs)), make([][]string, len(f.Pairs))
	for i, p := range f.Pairs {
		hyps[i], refs[i] = p.Hyp, []string{p.Ref}
	}
	for _, tok := range []Tokenizer{Tokenize13a, TokenizeNone, TokenizeIntl} {
		want, ok := f.Corpus[string(tok)]
		if !ok {
			t.Fatalf("metrics.json has no corpus BLEU for %s", tok)
		}
		got := SacreBLEU(hyps, refs, tok)
		if got.Counts != want.Counts || got.Totals != want.Totals || got.SysLen != want.SysLen || got.RefLen != want.RefLen {
			t.Errorf("%s: stats %v %v %d %d, want %v %v %d %d", tok,
				got.Counts, got.Totals, got.SysLen, got.RefLen, want.Counts, want.Totals, want.SysLen, want.RefLen)
		}
		t.Logf("%s: score %.17g (sacrebleu %.17g)", tok, got.Score, want.Score)
		if !relClose(got.Score, want.Score, 1e-9) || !relClose(got.BP, want.BP, 1e-12) {
			t.Errorf("%s: score %.17g bp %.17g, want %.17g %.17g", tok, got.Score, got.BP, want.Score, want.BP)
		}
		for i := range got.Precisions {
			if !relClose(got.Precisions[i], want.Precisions[i], 1e-12) {
				t.Errorf("%s: precision %d = %.17g, want %.17g", tok, i+1, got.Precisions[i], want.Precisions[i])
			}
		}
	}
}

// TestSacreBLEUSentenceAndChunksFixture: sentence BLEU (effective order,
// exp smoothing) per pair and corpus BLEU of each chunk of 50 pairs.
func TestSacreBLEUSentenceAndChunksFixture(t *testing.T) {
	f := loadMetricsFixture(t)
	exact := 0
	defer func() {
		t.Logf("%d/%d sentence BLEU values bit-identical to sacrebleu", exact, len(f.Pairs))
		// Python 3.12+'s compensated sum() (PySum) is needed for this; with
		// a plain left-to-right sum only ~250 agree.
		if exact < len(f.Pairs)*98/100 {
			t.Errorf("only %d/%d sentence BLEU values bit-identical", exact, len(f.Pairs))
		}
	}()
	for i, p := range f.Pairs {
		got := SacreSentenceBLEU(p.Hyp, []string{p.Ref}, Tokenize13a).Score
		if got == f.Sentence13a[i] {
			exact++
		}
		if !relClose(got, f.Sentence13a[i], 1e-9) {
			t.Errorf("pair %d (%q | %q): sentence BLEU %.17g, want %.17g", i, p.Hyp, p.Ref, got, f.Sentence13a[i])
		}
	}
	const chunk = 50
	if want := (len(f.Pairs) + chunk - 1) / chunk; len(f.Chunks13a) != want {
		t.Fatalf("%d chunk scores, want %d", len(f.Chunks13a), want)
	}
	for c, want := range f.Chunks13a {
		lo, hi := c*chunk, min((c+1)*chunk, len(f.Pairs))
		var hyps []string
		var refs [][]string
		for _, p := range f.Pairs[lo:hi] {
			hyps, refs = append(hyps, p.Hyp), append(refs, []string{p.Ref})
		}
		if got := SacreBLEU(hyps, refs, Tokenize13a).Score; !relClose(got, want, 1e-9) {
			t.Errorf("chunk %d: %.17g, want %.17g", c, got, want)
		}
	}
}

// TestROUGELFixture: torchmetrics' float32 values must come out identical;
// the brief's bound is 1e-6, equality is checked because both round the
// same float64 once.
func TestROUGELFixture(t *testing.T) {
	f := loadMetricsFixture(t)
	var sum float64
	for i, p := range f.Pairs {
		got, want := ROUGEL(p.Hyp, p.Ref), f.RougeLPerRow[i]
		if float64(got.FMeasure) != want.F || float64(got.Precision) != want.P || float64(got.Recall) != want.R {
			t.Errorf("pair %d (%q | %q): rougeL %+v, want F %v P %v R %v", i, p.Hyp, p.Ref, got, want.F, want.P, want.R)
		}
		sum += want.F
	}
	ex := make([]Example, len(f.Pairs))
	for i, p := range f.Pairs {
		ex[i] = Example{Recover: p.Hyp, Reference: p.Ref}
	}
	if got, want := Score(ex, Tokenize13a).ROUGEL, sum/float64(len(f.Pairs)); !relClose(got, want, 1e-6) {
		t.Errorf("mean rougeL %.17g, want %.17g", got, want)
	}
}
