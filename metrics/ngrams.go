package metrics

// ngram is an n-gram (n <= 4) of interned token ids; unused slots are -1,
// so n-grams of different orders never compare equal.
type ngram [4]int32

// vocab interns tokens so that n-grams can be map keys without joining
// strings (a token may contain any character but whitespace).
type vocab map[string]int32

func (v vocab) ids(tokens []string) []int32 {
	out := make([]int32, len(tokens))
	for i, t := range tokens {
		id, ok := v[t]
		if !ok {
			id = int32(len(v))
			v[t] = id
		}
		out[i] = id
	}
	return out
}

// countNgrams counts the n-grams of order n in ids (none if len(ids) < n).
func countNgrams(ids []int32, n int) map[ngram]int {
	counts := make(map[ngram]int)
	for i := 0; i+n <= len(ids); i++ {
		g := ngram{-1, -1, -1, -1}
		copy(g[:n], ids[i:i+n])
		counts[g]++
	}
	return counts
}
