package metrics

// smoothingK is SmoothingFunction's k, the constant of method4.
const smoothingK = 5

// BLEU is the reference's get_bleu(recover, reference): SentenceBLEU with
// the whitespace tokens (Fields) of reference as the only reference and
// those of recover as the hypothesis.
func BLEU(recover, reference string) float64 {
	return SentenceBLEU([][]string{Fields(reference)}, Fields(recover))
}

// SentenceBLEU is NLTK's (>= 3.7)
//
//	sentence_bleu(references, hypothesis, weights=(0.25, 0.25, 0.25, 0.25),
//	              smoothing_function=SmoothingFunction().method4)
//
// computed with the same float operations in the same order:
//
//   - p_n = clipped n-gram matches / max(1, hypothesis n-grams), n = 1..4,
//     where a hypothesis n-gram is clipped at its largest count in any one
//     reference (NLTK's modified_precision);
//   - no unigram match gives 0 (before any smoothing);
//   - method4: walking n = 1..4 with c starting at 1, every p_n with no
//     match becomes (1 / (2^c·k / ln h)) / denominator_n, c += 1, provided
//     the hypothesis length h > 1 (for h = 1 the zero p_n stays zero);
//   - BLEU = BP · exp(fsum(0.25 · ln p_n over the p_n > 0)), so orders that
//     are still zero are silently skipped, not a log(0) error;
//   - BP = 1 if h > r, 0 if h = 0, else exp(1 − r/h), with r the reference
//     length closest to h (the shorter one on a tie).
//
// Older NLTK releases smooth and treat zero counts differently; see
// docs/metrics.md. It panics if references is empty (NLTK raises too).
func SentenceBLEU(references [][]string, hypothesis []string) float64 {
	if len(references) == 0 {
		panic("metrics.SentenceBLEU: no references")
	}
	v := vocab{}
	hyp := newProfile(v.ids(hypothesis))
	refs := make([]profile, len(references))
	for i, r := range references {
		refs[i] = newProfile(v.ids(r))
	}
	return sentenceBLEU(hyp, refs)
}

// sentenceBLEU is SentenceBLEU on n-gram profiles built with one vocab.
func sentenceBLEU(hyp profile, refs []profile) float64 {
	var matches, totals [maxOrder]int
	var refGrams [4][]ngram
	for n := range maxOrder {
		rg := refGrams[:0]
		if len(refs) > len(refGrams) {
			rg = make([][]ngram, 0, len(refs))
		}
		for _, r := range refs {
			rg = append(rg, r.grams[n])
		}
		matches[n] = clippedMatches(hyp.grams[n], rg)
		totals[n] = max(1, len(hyp.grams[n])) // NLTK's denominator is at least 1
	}
	h := hyp.length
	bp := brevityPenalty(closestRefLength(refs, h), h)
	if matches[0] == 0 {
		return 0
	}

	// p holds each order's precision as a float64; 0 marks an order that
	// stays zero after smoothing and is left out of the geometric mean.
	var p [maxOrder]float64
	c := 1
	for i := range p {
		switch {
		case matches[i] != 0:
			// NLTK keeps a Fraction; math.log converts it with one correctly
			// rounded division.
			p[i] = float64(matches[i]) / float64(totals[i])
		case h > 1:
			numerator := 1 / (float64(int(1)<<c*smoothingK) / logCR(float64(h)))
			p[i] = numerator / float64(totals[i])
			c++
		}
	}
	terms := make([]float64, 0, maxOrder)
	for _, pi := range p {
		if pi > 0 {
			terms = append(terms, 0.25*logCR(pi))
		}
	}
	return bp * expCR(Fsum(terms))
}

// closestRefLength is the length of the reference closest to hypLen,
// preferring the shorter one on a tie.
func closestRefLength(refs []profile, hypLen int) int {
	best := -1
	for _, r := range refs {
		d, bd := absInt(r.length-hypLen), absInt(best-hypLen)
		if best < 0 || d < bd || (d == bd && r.length < best) {
			best = r.length
		}
	}
	return best
}

// brevityPenalty is NLTK's brevity_penalty(closestRefLen, hypLen).
func brevityPenalty(closestRefLen, hypLen int) float64 {
	switch {
	case hypLen > closestRefLen:
		return 1
	case hypLen == 0:
		return 0
	default:
		return expCR(1 - float64(closestRefLen)/float64(hypLen))
	}
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
