package synth

import (
	"fmt"
	"strings"
)

// parseSource reads a source sentence back into group indices. It accepts
// exactly the sources Generate writes.
func parseSource(src string) (sentence, error) {
	w := strings.Fields(src)
	if len(w) != SrcLen {
		return sentence{}, fmt.Errorf("synth: source %q has %d words, want %d (DET ADJ NOUN VERB DET ADJ NOUN)", src, len(w), SrcLen)
	}
	var s sentence
	fields := []struct {
		dst  *int
		idx  map[string]int
		what string
	}{
		{&s.det1, detIndex, "determiner"}, {&s.adj1, adjIndex, "adjective"}, {&s.noun1, nounIndex, "noun"},
		{&s.verb, verbIndex, "verb"},
		{&s.det2, detIndex, "determiner"}, {&s.adj2, adjIndex, "adjective"}, {&s.noun2, nounIndex, "noun"},
	}
	for i, f := range fields {
		v, ok := f.idx[w[i]]
		if !ok {
			return sentence{}, fmt.Errorf("synth: source %q: word %d %q is not a %s of the demo task", src, i+1, w[i], f.what)
		}
		*f.dst = v
	}
	return s, nil
}

// slots returns, for each target position, the set of correct words.
func (s sentence) slots() [TrgLen]group {
	return [TrgLen]group{
		{determiners[s.det2]}, adjectives[s.adj2], nouns[s.noun2],
		{wordIs}, participles[s.verb], {wordBy},
		{determiners[s.det1]}, adjectives[s.adj1], nouns[s.noun1],
	}
}

// Targets returns every correct target of src (32 for a generated source),
// in a fixed order.
func Targets(src string) ([]string, error) {
	s, err := parseSource(src)
	if err != nil {
		return nil, err
	}
	out := []string{""}
	for _, g := range s.slots() {
		var next []string
		for _, prefix := range out {
			for _, w := range g {
				if prefix == "" {
					next = append(next, w)
				} else {
					next = append(next, prefix+" "+w)
				}
			}
		}
		out = next
	}
	return out, nil
}

// Clean turns a decoded model output in the reference's own-vocabulary
// format ("[START] a small cat ... [END] [PAD] ...", spec 1.7) into the
// plain sentence: a leading [START] is dropped and everything from the
// first [END] on is cut. Other text is left as is, so a wrong special token
// in the middle still counts as wrong.
func Clean(decoded string) string {
	w := strings.Fields(decoded)
	if len(w) > 0 && w[0] == "[START]" {
		w = w[1:]
	}
	for i, t := range w {
		if t == "[END]" {
			w = w[:i]
			break
		}
	}
	return strings.Join(w, " ")
}

// Score compares one output with the correct targets of src: correct is
// true if out (after Clean) is exactly one of them; words counts target
// positions holding a correct word (at most TrgLen), for a partial-credit
// figure while a model is still learning.
func Score(src, out string) (correct bool, words int, err error) {
	s, err := parseSource(src)
	if err != nil {
		return false, 0, err
	}
	w := strings.Fields(Clean(out))
	for i, g := range s.slots() {
		if i < len(w) && g.has(w[i]) {
			words++
		}
	}
	return words == TrgLen && len(w) == TrgLen, words, nil
}

func (g group) has(w string) bool {
	for _, x := range g {
		if x == w {
			return true
		}
	}
	return false
}

// Accuracy scores outputs against their sources: exact is the fraction of
// outputs that are one of the correct targets (exact match against the set
// of valid targets), wordAcc the fraction of target positions holding a
// correct word.
func Accuracy(srcs, outs []string) (exact, wordAcc float64, err error) {
	if len(srcs) != len(outs) {
		return 0, 0, fmt.Errorf("synth: %d sources but %d outputs", len(srcs), len(outs))
	}
	if len(srcs) == 0 {
		return 0, 0, fmt.Errorf("synth: nothing to score")
	}
	var nCorrect, nWords int
	for i := range srcs {
		ok, words, err := Score(srcs[i], outs[i])
		if err != nil {
			return 0, 0, fmt.Errorf("synth: output %d: %w", i+1, err)
		}
		if ok {
			nCorrect++
		}
		nWords += words
	}
	n := float64(len(srcs))
	return float64(nCorrect) / n, float64(nWords) / (n * TrgLen), nil
}
