package metrics

// BLEUStats are sacrebleu's sufficient statistics of one segment or, added
// up, of a corpus: hypothesis length, closest reference length, and the
// clipped matches and hypothesis n-gram totals per order.
type BLEUStats struct {
	SysLen, RefLen int
	Correct        [maxOrder]int
	Total          [maxOrder]int
}

// Add accumulates o into s (corpus BLEU sums segment statistics).
func (s *BLEUStats) Add(o BLEUStats) {
	s.SysLen += o.SysLen
	s.RefLen += o.RefLen
	for i := range s.Correct {
		s.Correct[i] += o.Correct[i]
		s.Total[i] += o.Total[i]
	}
}

// BLEUScore mirrors sacrebleu's BLEUScore: Score and Precisions are
// percentages (0..100).
type BLEUScore struct {
	Score      float64
	Counts     [maxOrder]int
	Totals     [maxOrder]int
	Precisions [maxOrder]float64
	BP         float64
	SysLen     int
	RefLen     int
}

// SegmentStats tokenises hyp and refs with tok (after Python's rstrip, as
// sacrebleu does) and counts their BLEU statistics. Each hypothesis
// n-gram's matches are clipped at its largest count in any one reference;
// RefLen is the reference length closest to the hypothesis length, the
// shorter on a tie. It panics if refs is empty.
func SegmentStats(hyp string, refs []string, tok Tokenizer) BLEUStats {
	if len(refs) == 0 {
		panic("metrics.SegmentStats: no references")
	}
	v := vocab{}
	h := newProfile(v.ids(Fields(tok.Tokenize(PyRStrip(hyp)))))
	rs := make([]profile, len(refs))
	for i, r := range refs {
		rs[i] = newProfile(v.ids(Fields(tok.Tokenize(PyRStrip(r)))))
	}
	st := BLEUStats{SysLen: h.length, RefLen: closestRefLength(rs, h.length)}
	for n := range maxOrder {
		// sacrebleu merges the references into one table of maximum counts;
		// clipping against each reference's count and taking the maximum is
		// the same.
		rg := make([][]ngram, len(rs))
		for i, r := range rs {
			rg[i] = r.grams[n]
		}
		st.Correct[n] = clippedMatches(h.grams[n], rg)
		st.Total[n] = len(h.grams[n])
	}
	return st
}

// ComputeBLEU is sacrebleu's compute_bleu with smooth_method="exp" (its
// default): BP = exp(1 − ref/sys) if sys < ref (0 if sys = 0); score 0 if
// nothing matches at all; otherwise, order by order until an order with no
// hypothesis n-grams, p_n = 100·correct/total, or for a zero count
// 100/(2^m·total) with m counting the zero orders so far; score =
// BP·exp(Σ log p_n / N) where log 0 counts as −9999999999 and Σ is Python
// 3.12+ sum() (PySum). N is 4, or with effectiveOrder (sentence BLEU) the
// last order that had n-grams.
func ComputeBLEU(s BLEUStats, effectiveOrder bool) BLEUScore {
	out := BLEUScore{Counts: s.Correct, Totals: s.Total, SysLen: s.SysLen, RefLen: s.RefLen, BP: 1}
	if s.SysLen < s.RefLen {
		out.BP = 0
		if s.SysLen > 0 {
			out.BP = expCR(1 - float64(s.RefLen)/float64(s.SysLen))
		}
	}
	anyCorrect := false
	for _, c := range s.Correct {
		anyCorrect = anyCorrect || c != 0
	}
	if !anyCorrect {
		return out
	}
	smooth := 1.0
	effOrder := maxOrder
	for n := 1; n <= maxOrder; n++ {
		if s.Total[n-1] == 0 {
			break
		}
		if effectiveOrder {
			effOrder = n
		}
		if s.Correct[n-1] == 0 {
			smooth *= 2
			out.Precisions[n-1] = 100 / (smooth * float64(s.Total[n-1]))
		} else {
			out.Precisions[n-1] = 100 * float64(s.Correct[n-1]) / float64(s.Total[n-1])
		}
	}
	logs := make([]float64, effOrder)
	for i, p := range out.Precisions[:effOrder] {
		if p == 0 {
			logs[i] = -9999999999 // sacrebleu's my_log(0)
		} else {
			logs[i] = logCR(p)
		}
	}
	out.Score = out.BP * expCR(PySum(logs)/float64(effOrder))
	return out
}

// SacreBLEU is sacrebleu.corpus_bleu(hyps, ...) with tokenize=tok and the
// default exp smoothing; refs[i] holds the references of hyps[i] (one or
// more). It panics if the lengths differ.
func SacreBLEU(hyps []string, refs [][]string, tok Tokenizer) BLEUScore {
	if len(hyps) != len(refs) {
		panic("metrics.SacreBLEU: len(hyps) != len(refs)")
	}
	var total BLEUStats
	for i, h := range hyps {
		total.Add(SegmentStats(h, refs[i], tok))
	}
	return ComputeBLEU(total, false)
}

// SacreSentenceBLEU is sacrebleu.sentence_bleu(hyp, refs, tokenize=tok):
// exp smoothing with the effective order.
func SacreSentenceBLEU(hyp string, refs []string, tok Tokenizer) BLEUScore {
	return ComputeBLEU(SegmentStats(hyp, refs, tok), true)
}
