package metrics

// SelfBLEU is the eval script's self-BLEU of one line's candidates (one
// per seed): the np.mean over the unordered pairs a < b of
// BLEU(hyp = candidates[a], ref = candidates[b]), and 0 for fewer than two
// candidates. Lower means more diverse.
func SelfBLEU(candidates []string) float64 {
	toks := fieldsAll(candidates)
	var scores []float64
	for a := range toks {
		for b := a + 1; b < len(toks); b++ {
			scores = append(scores, SentenceBLEU([][]string{toks[b]}, toks[a]))
		}
	}
	if len(scores) == 0 {
		return 0
	}
	return Mean(scores)
}

// SelectMBR returns the index of the candidate the eval script's
// selectBest keeps (minimum Bayes risk with negative BLEU as the loss):
// the first maximum over a of Σ_{b≠a} BLEU(hyp = candidates[a],
// ref = candidates[b]). The reference never enters the choice. Row sums
// use NumPy's order with a 0 on the diagonal (np.sum of the BLEU matrix
// whose diagonal was zeroed), so exact ties and near-ties break as in the
// reference. It panics on an empty list.
func SelectMBR(candidates []string) int {
	if len(candidates) == 0 {
		panic("metrics.SelectMBR: no candidates")
	}
	toks := fieldsAll(candidates)
	best, bestScore := 0, 0.0
	row := make([]float64, len(toks))
	for a := range toks {
		for b := range toks {
			row[b] = 0
			if b != a {
				row[b] = SentenceBLEU([][]string{toks[b]}, toks[a])
			}
		}
		// np.argmax returns the first maximum (NaN cannot occur: BLEU is finite).
		if s := PairwiseSum(row); a == 0 || s > bestScore {
			best, bestScore = a, s
		}
	}
	return best
}

func fieldsAll(ss []string) [][]string {
	out := make([][]string, len(ss))
	for i, s := range ss {
		out[i] = Fields(s)
	}
	return out
}
