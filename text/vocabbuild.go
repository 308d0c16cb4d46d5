package text

import (
	"container/heap"
	"sort"
	"strings"
)

// BertWords returns the words BERT's pre-tokenisation makes of s
// (normalised, split on whitespace and punctuation), the units a WordPiece
// vocabulary is trained on. Literal special tokens are left out.
func BertWords(s string, lowercase bool) []string {
	n := bertNormalizer{lowercase: lowercase}
	var out []string
	var words [][]rune
	for _, seg := range splitSpecial(s, bertSpecialTokens) {
		if seg.special {
			continue
		}
		words = preTokenize(n.normalize(seg.text), words[:0])
		for _, w := range words {
			out = append(out, string(w))
		}
	}
	return out
}

// WordVocab returns the tokens of counts that occur at least minFreq times,
// most frequent first, ties in ascending code-point order: the rule that
// made ../shared/data/multi30k_de_en_tok/vocab.txt, a file for the
// own-vocabulary mode (LoadCustomVocab).
func WordVocab(counts map[string]int, minFreq int) []string {
	var toks []string
	for tok, c := range counts {
		if c >= minFreq {
			toks = append(toks, tok)
		}
	}
	sort.Slice(toks, func(i, j int) bool {
		ci, cj := counts[toks[i]], counts[toks[j]]
		if ci != cj {
			return ci > cj
		}
		return toks[i] < toks[j] // Go compares bytes; for UTF-8 that is code-point order
	})
	return toks
}

// TrainWordPiece learns a WordPiece vocabulary of at most size entries
// from word counts (see BertWords), the way BERT-style vocabularies are
// usually grown: start from every character (word-initial as is, inside
// a word as "##c"), then repeatedly merge the adjacent pair of pieces that
// occurs most often, weighted by word count (ties: the smaller pair in
// byte order), until the vocabulary is full or no pair occurs minFreq
// times. The result starts with [PAD] [UNK] [CLS] [SEP] [MASK], then the
// characters in byte order, then the merged pieces in the order learned.
func TrainWordPiece(counts map[string]int, size, minFreq int) []string {
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
	seen := map[string]bool{}
	for _, v := range vocab {
		seen[v] = true
	}
	// Words in byte order so the result does not depend on map order.
	keys := make([]string, 0, len(counts))
	for w := range counts {
		keys = append(keys, w)
	}
	sort.Strings(keys)
	words := make([]trainWord, 0, len(keys))
	var alphabet []string
	for _, w := range keys {
		rs := []rune(w)
		if len(rs) == 0 || len(rs) > MaxWordChars {
			continue
		}
		tw := trainWord{count: counts[w], pieces: make([]string, len(rs))}
		for i, r := range rs {
			p := string(r)
			if i > 0 {
				p = "##" + p
			}
			tw.pieces[i] = p
			if !seen[p] {
				seen[p] = true
				alphabet = append(alphabet, p)
			}
		}
		words = append(words, tw)
	}
	sort.Strings(alphabet)
	vocab = append(vocab, alphabet...)

	pc := newPairCounts()
	for i := range words {
		pc.addWord(i, &words[i], +1)
	}
	for len(vocab) < size {
		best, n, ok := pc.best()
		if !ok || n < minFreq {
			break
		}
		merged := best.a + strings.TrimPrefix(best.b, "##")
		for wi := range pc.where[best] {
			w := &words[wi]
			pc.addWord(wi, w, -1)
			w.merge(best.a, best.b, merged)
			pc.addWord(wi, w, +1)
		}
		if !seen[merged] {
			seen[merged] = true
			vocab = append(vocab, merged)
		}
	}
	return vocab
}

// trainWord is one distinct word during training: its current pieces and
// how often it occurs.
type trainWord struct {
	pieces []string
	count  int
}

// merge replaces each adjacent (a, b), left to right, by merged.
func (w *trainWord) merge(a, b, merged string) {
	out := w.pieces[:0]
	for i := 0; i < len(w.pieces); i++ {
		if i+1 < len(w.pieces) && w.pieces[i] == a && w.pieces[i+1] == b {
			out = append(out, merged)
			i++
			continue
		}
		out = append(out, w.pieces[i])
	}
	w.pieces = out
}

type piecePair struct{ a, b string }

// pairCounts tracks how often each adjacent pair occurs (weighted by word
// count) and in which words, with a max-heap whose stale entries are
// skipped when popped.
type pairCounts struct {
	count map[piecePair]int
	where map[piecePair]map[int]struct{}
	h     pairHeap
}

func newPairCounts() *pairCounts {
	return &pairCounts{count: map[piecePair]int{}, where: map[piecePair]map[int]struct{}{}}
}

// addWord adds (sign +1) or removes (-1) the pairs of word wi.
func (pc *pairCounts) addWord(wi int, w *trainWord, sign int) {
	for i := 0; i+1 < len(w.pieces); i++ {
		p := piecePair{w.pieces[i], w.pieces[i+1]}
		pc.count[p] += sign * w.count
		if sign > 0 {
			if pc.where[p] == nil {
				pc.where[p] = map[int]struct{}{}
			}
			pc.where[p][wi] = struct{}{}
		} else if pc.count[p] <= 0 {
			delete(pc.count, p)
			delete(pc.where, p)
			continue
		}
		if sign > 0 || pc.count[p] > 0 {
			heap.Push(&pc.h, pairEntry{p, pc.count[p]})
		}
	}
}

// best returns the most frequent pair.
func (pc *pairCounts) best() (piecePair, int, bool) {
	for pc.h.Len() > 0 {
		e := heap.Pop(&pc.h).(pairEntry)
		if c, ok := pc.count[e.p]; ok && c == e.n {
			return e.p, e.n, true
		}
	}
	return piecePair{}, 0, false
}

type pairEntry struct {
	p piecePair
	n int
}

type pairHeap []pairEntry

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(i, j int) bool {
	if h[i].n != h[j].n {
		return h[i].n > h[j].n
	}
	if h[i].p.a != h[j].p.a {
		return h[i].p.a < h[j].p.a
	}
	return h[i].p.b < h[j].p.b
}
func (h pairHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(pairEntry)) }
func (h *pairHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
