package metrics

import (
	"strings"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// Example is one decoded line: the fields of the reference's decode output
// {"recover", "reference", "source"}.
type Example struct {
	Source    string `json:"source"`
	Reference string `json:"reference"`
	Recover   string `json:"recover"`
}

// Specials are the special-token strings the eval script deletes (its
// --sos, --eos, --sep and --pad flags).
type Specials struct {
	SOS, EOS, SEP, PAD string
}

// BertSpecials are the eval script's defaults, for the bert vocabulary.
var BertSpecials = Specials{SOS: "[CLS]", EOS: "[SEP]", SEP: "[SEP]", PAD: "[PAD]"}

// OwnVocabSpecials are the values the reference documents for runs with
// their own vocabulary.
var OwnVocabSpecials = Specials{SOS: "[START]", EOS: "[END]", SEP: "[END]", PAD: "[PAD]"}

// Clean applies the eval script's string cleanup: every field is stripped
// of surrounding whitespace, then the special strings are deleted as plain
// substrings (leaving their surrounding spaces behind) — source: eos then
// sos; reference: eos, sos, sep; recover: eos, sos, sep, pad.
func (sp Specials) Clean(e Example) Example {
	del := func(s string, toks ...string) string {
		for _, t := range toks {
			if t != "" {
				s = strings.ReplaceAll(s, t, "")
			}
		}
		return s
	}
	return Example{
		Source:    del(PyStrip(e.Source), sp.EOS, sp.SOS),
		Reference: del(PyStrip(e.Reference), sp.EOS, sp.SOS, sp.SEP),
		Recover:   del(PyStrip(e.Recover), sp.EOS, sp.SOS, sp.SEP, sp.PAD),
	}
}

// Scores are the eval script's per-file means over cleaned lines, plus
// sacrebleu's corpus BLEU of the same lines, which the reference does not
// print.
type Scores struct {
	N         int     // lines
	BLEU      float64 // mean NLTK sentence BLEU (method4), 0..1
	ROUGEL    float64 // mean torchmetrics rougeL F-measure, 0..1
	Dist1     float64 // mean dist-1 of the outputs
	AvgLen    float64 // mean len(recover.split(' '))
	SacreBLEU float64 // sacrebleu corpus BLEU with the tokeniser given to Score, 0..100
}

// Score computes Scores of already cleaned examples (see Specials.Clean),
// with tok for the sacreBLEU column. Means of no lines are NaN, like
// np.mean of an empty list.
func Score(examples []Example, tok Tokenizer) Scores {
	n := len(examples)
	bleu, rouge, dist, length := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	hyps, refs := make([]string, n), make([][]string, n)
	// Lines are independent and each writes its own slot, so the result
	// does not depend on the thread count.
	parallel.For(n, 64, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			e := examples[i]
			bleu[i] = BLEU(e.Recover, e.Reference)
			rouge[i] = float64(ROUGEL(e.Recover, e.Reference).FMeasure)
			dist[i] = Dist1(e.Recover)
			length[i] = float64(AvgLenTokens(e.Recover))
			hyps[i], refs[i] = e.Recover, []string{e.Reference}
		}
	})
	return Scores{
		N: n, BLEU: Mean(bleu), ROUGEL: Mean(rouge), Dist1: Mean(dist), AvgLen: Mean(length),
		SacreBLEU: SacreBLEU(hyps, refs, tok).Score,
	}
}

// Diversity is the eval script's diversity over seeds: candidates[i] holds
// line i's outputs, one per seed. It returns the means over lines of
// SelfBLEU and of InterDistinctN(·, 4) ("div-4").
func Diversity(candidates [][]string) (selfBLEU, div4 float64) {
	sb, d4 := make([]float64, len(candidates)), make([]float64, len(candidates))
	parallel.For(len(candidates), 16, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			sb[i] = SelfBLEU(candidates[i])
			d4[i] = InterDistinctN(candidates[i], 4)
		}
	})
	return Mean(sb), Mean(d4)
}
