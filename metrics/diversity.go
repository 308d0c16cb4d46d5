package metrics

// SelfBLEU is the eval script's self-BLEU of one line's candidates (one
// per seed): the np.mean over the unordered pairs a < b of
// BLEU(hyp = candidates[a], ref = candidates[b]), and 0 for fewer than two
// candidates. Lower means more diverse.
func SelfBLEU(candidates []string) float64 {
	ps := profilesOf(candidates)
	var scores []float64
	for a := range ps {
		for b := a + 1; b < len(ps); b++ {
			scores = append(scores, sentenceBLEU(ps[a], ps[b:b+1]))
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
	ps := profilesOf(candidates)
	best, bestScore := 0, 0.0
	row := make([]float64, len(ps))
	for a := range ps {
		for b := range ps {
			row[b] = 0
			if b != a {
				row[b] = sentenceBLEU(ps[a], ps[b:b+1])
			}
		}
		// np.argmax returns the first maximum (NaN cannot occur: BLEU is finite).
		if s := PairwiseSum(row); a == 0 || s > bestScore {
			best, bestScore = a, s
		}
	}
	return best
}

// profilesOf tokenises sentences (Fields) with one shared vocab.
func profilesOf(sentences []string) []profile {
	v := vocab{}
	out := make([]profile, len(sentences))
	for i, s := range sentences {
		out[i] = newProfile(v.ids(Fields(s)))
	}
	return out
}
