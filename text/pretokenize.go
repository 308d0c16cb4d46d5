package text

import "strings"

// bertSpecialTokens are the strings the reference's tokenizer recognises
// verbatim anywhere in the raw text (HuggingFace "added tokens" with
// normalized=false): "a[SEP]b" is a, [SEP], b, while "[sep]" is ordinary
// text that the pre-tokenizer splits into "[", "sep", "]".
var bertSpecialTokens = []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}

// segment is a piece of raw text: either a literal special token (special
// true, text is the token) or text to normalise and split.
type segment struct {
	text    string
	special bool
}

// splitSpecial cuts s around the special tokens in specials, scanning left
// to right and taking the longest token that starts at each position.
func splitSpecial(s string, specials []string) []segment {
	var segs []segment
	start := 0
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '[')
		if j < 0 {
			break
		}
		i += j
		match := ""
		for _, sp := range specials {
			if len(sp) > len(match) && strings.HasPrefix(s[i:], sp) {
				match = sp
			}
		}
		if match == "" {
			i++
			continue
		}
		if i > start {
			segs = append(segs, segment{text: s[start:i]})
		}
		segs = append(segs, segment{text: match, special: true})
		i += len(match)
		start = i
	}
	if start < len(s) {
		segs = append(segs, segment{text: s[start:]})
	}
	return segs
}

// preTokenize splits normalised text into BERT words: whitespace separates
// words and is dropped; each punctuation character is a word of its own.
func preTokenize(rs []rune, words [][]rune) [][]rune {
	wordStart := -1
	for i, r := range rs {
		switch {
		case isBertWhitespace(r):
			if wordStart >= 0 {
				words = append(words, rs[wordStart:i])
				wordStart = -1
			}
		case isBertPunct(r):
			if wordStart >= 0 {
				words = append(words, rs[wordStart:i])
				wordStart = -1
			}
			words = append(words, rs[i:i+1])
		default:
			if wordStart < 0 {
				wordStart = i
			}
		}
	}
	if wordStart >= 0 {
		words = append(words, rs[wordStart:])
	}
	return words
}
