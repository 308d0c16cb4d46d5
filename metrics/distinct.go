package metrics

import "strings"

// DistinctN is the eval script's distinct_n_gram for one sentence: the
// number of distinct n-grams of its whitespace tokens over their total, or
// 0 when it has no n-gram.
func DistinctN(sentence string, n int) float64 {
	v := vocab{}
	counts := countNgrams(v.ids(Fields(sentence)), n)
	total := 0
	for _, c := range counts {
		total += c
	}
	if total == 0 {
		return 0
	}
	return float64(len(counts)) / float64(total)
}

// Dist1 is the paper's dist-1 of one output: DistinctN(sentence, 1).
func Dist1(sentence string) float64 { return DistinctN(sentence, 1) }

// InterDistinctN is the eval script's distinct_n_gram_inter_sent, the
// diversity column "div-4" for n = 4: the n-grams of every sentence (never
// spanning two sentences) are pooled, and the result is distinct over
// total, or 0 when there are none.
func InterDistinctN(sentences []string, n int) float64 {
	v := vocab{}
	counts := map[ngram]int{}
	total := 0
	for _, s := range sentences {
		for g, c := range countNgrams(v.ids(Fields(s)), n) {
			counts[g] += c
			total += c
		}
	}
	if total == 0 {
		return 0
	}
	return float64(len(counts)) / float64(total)
}

// AvgLenTokens is the eval script's per-line length len(recover.split(' ')):
// a split on single spaces, so the empty strings left around deleted
// special tokens are counted ("" counts 1, " a " counts 3). The paper's
// "Len" column is the mean of this.
func AvgLenTokens(recover string) int {
	return strings.Count(recover, " ") + 1
}
