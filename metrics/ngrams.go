package metrics

import (
	"cmp"
	"slices"
)

// maxOrder is BLEU's largest n-gram order.
const maxOrder = 4

// ngram is an n-gram (n <= maxOrder) of interned token ids; unused slots
// are -1, so n-grams of different orders never compare equal.
type ngram [maxOrder]int32

func cmpNgram(a, b ngram) int {
	for i := range a {
		if c := cmp.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// vocab interns tokens so that n-grams are small comparable arrays (a
// token may contain any character but whitespace, so joining strings would
// need escaping). All sentences compared with each other must share one.
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

// profile is a sentence's n-gram multiset for n = 1..maxOrder, each order
// a sorted list, so that clipped counts are merges of sorted lists rather
// than hash-map look-ups (BLEU is called ~10^6 times by MBR).
type profile struct {
	length int               // tokens
	grams  [maxOrder][]ngram // grams[n-1]: the len-n+1 n-grams of order n, sorted
}

func newProfile(ids []int32) profile {
	p := profile{length: len(ids)}
	total := 0
	for n := 1; n <= maxOrder; n++ {
		total += max(0, len(ids)-n+1)
	}
	buf := make([]ngram, 0, total)
	for n := 1; n <= maxOrder; n++ {
		start := len(buf)
		for i := 0; i+n <= len(ids); i++ {
			g := ngram{-1, -1, -1, -1}
			copy(g[:n], ids[i:i+n])
			buf = append(buf, g)
		}
		p.grams[n-1] = buf[start:len(buf):len(buf)]
		slices.SortFunc(p.grams[n-1], cmpNgram)
	}
	return p
}

// clippedMatches is Σ over the distinct n-grams g of hyp of
// min(count of g in hyp, max over refs of count of g in ref), for sorted
// lists of one order: BLEU's clipped ("modified") match count.
func clippedMatches(hyp []ngram, refs [][]ngram) int {
	var posBuf [4]int
	pos := posBuf[:0]
	if len(refs) > len(posBuf) {
		pos = make([]int, len(refs))
	} else {
		pos = posBuf[:len(refs)]
	}
	matches := 0
	for i := 0; i < len(hyp); {
		g := hyp[i]
		j := i + 1
		for j < len(hyp) && hyp[j] == g {
			j++
		}
		best := 0
		for r, ref := range refs {
			k := pos[r]
			for k < len(ref) && cmpNgram(ref[k], g) < 0 {
				k++
			}
			c := 0
			for k < len(ref) && ref[k] == g {
				k++
				c++
			}
			pos[r] = k
			best = max(best, c)
		}
		matches += min(j-i, best)
		i = j
	}
	return matches
}

// distinctRuns counts the distinct values of a sorted list.
func distinctRuns(sorted []ngram) int {
	n := 0
	for i := range sorted {
		if i == 0 || sorted[i] != sorted[i-1] {
			n++
		}
	}
	return n
}
