package metrics

import (
	"slices"
	"strings"
)

// DistinctN is the eval script's distinct_n_gram for one sentence: the
// number of distinct n-grams of its whitespace tokens over their total, or
// 0 when it has no n-gram. n is 1..4.
func DistinctN(sentence string, n int) float64 {
	return InterDistinctN([]string{sentence}, n)
}

// Dist1 is the paper's dist-1 of one output: DistinctN(sentence, 1).
func Dist1(sentence string) float64 { return DistinctN(sentence, 1) }

// InterDistinctN is the eval script's distinct_n_gram_inter_sent, the
// diversity column "div-4" for n = 4: the n-grams of every sentence (never
// spanning two sentences) are pooled, and the result is distinct over
// total, or 0 when there are none.
func InterDistinctN(sentences []string, n int) float64 {
	if n < 1 || n > maxOrder {
		panic("metrics.InterDistinctN: n must be in 1..4")
	}
	v := vocab{}
	var grams []ngram
	for _, s := range sentences {
		grams = append(grams, newProfile(v.ids(Fields(s))).grams[n-1]...)
	}
	if len(grams) == 0 {
		return 0
	}
	slices.SortFunc(grams, cmpNgram)
	return float64(distinctRuns(grams)) / float64(len(grams))
}

// AvgLenTokens is the eval script's per-line length len(recover.split(' ')):
// a split on single spaces, so the empty strings left around deleted
// special tokens are counted ("" counts 1, " a " counts 3). The paper's
// "Len" column is the mean of this.
func AvgLenTokens(recover string) int {
	return strings.Count(recover, " ") + 1
}
