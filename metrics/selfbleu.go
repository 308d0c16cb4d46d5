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

// profilesOf tokenises sentences (Fields) with one shared vocab.
func profilesOf(sentences []string) []profile {
	v := vocab{}
	out := make([]profile, len(sentences))
	for i, s := range sentences {
		out[i] = newProfile(v.ids(Fields(s)))
	}
	return out
}
