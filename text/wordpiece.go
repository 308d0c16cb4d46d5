package text

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxWordChars is the longest word (in code points) that WordPiece splits;
// a longer word becomes [UNK] whole, as in BERT.
const MaxWordChars = 100

// WordPiece is BERT's tokenizer (the reference's `--vocab bert` mode):
// literal special tokens, then the BERT normaliser and pre-tokenizer, then
// greedy longest-match-first WordPiece with "##" continuations.
type WordPiece struct {
	tokens    []string       // the vocab file's lines, for saving
	vocab     map[string]int // token → id
	idToToken []string       // id → token ("" for ids no token maps to)
	hasToken  []bool         // hasToken[id]: some token maps to id
	norm      bertNormalizer
	specials  []string // the special tokens present in the vocab
	// maxPieceRunes is the length in code points of the longest entry
	// (without its "##"), the longest candidate worth looking up.
	maxPieceRunes int

	// Ids of the special tokens, from the vocab file; mask is -1 when the
	// vocab has no [MASK].
	pad, unk, cls, sep, mask int
}

// LoadWordPiece reads a BERT vocab.txt (one token per line, id = line
// number from 0, trailing whitespace trimmed, a later duplicate wins as in
// HuggingFace's loader). lowercase selects uncased BERT: accents are
// stripped and text lowercased before splitting (bert-base-uncased, the
// reference default). The vocab must hold [PAD], [UNK], [CLS] and [SEP].
func LoadWordPiece(path string, lowercase bool) (*WordPiece, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var tokens []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		tokens = append(tokens, strings.TrimRightFunc(sc.Text(), unicode.IsSpace))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", path, len(tokens)+1, err)
	}
	wp, err := NewWordPiece(tokens, lowercase)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return wp, nil
}

// NewWordPiece builds a WordPiece tokenizer from a token list (id = index).
func NewWordPiece(tokens []string, lowercase bool) (*WordPiece, error) {
	wp := &WordPiece{
		tokens:    append([]string(nil), tokens...),
		vocab:     make(map[string]int, len(tokens)),
		idToToken: make([]string, len(tokens)),
		hasToken:  make([]bool, len(tokens)),
		norm:      bertNormalizer{lowercase: lowercase},
		mask:      -1,
	}
	for id, tok := range tokens {
		wp.vocab[tok] = id
		wp.maxPieceRunes = max(wp.maxPieceRunes, utf8.RuneCountInString(strings.TrimPrefix(tok, "##")))
	}
	for tok, id := range wp.vocab {
		wp.idToToken[id] = tok
		wp.hasToken[id] = true
	}
	for _, sp := range []struct {
		tok string
		id  *int
	}{{"[PAD]", &wp.pad}, {"[UNK]", &wp.unk}, {"[CLS]", &wp.cls}, {"[SEP]", &wp.sep}, {"[MASK]", &wp.mask}} {
		id, ok := wp.vocab[sp.tok]
		if !ok {
			if sp.tok == "[MASK]" {
				continue
			}
			return nil, fmt.Errorf("vocab has no %s token (a BERT vocab needs [PAD], [UNK], [CLS] and [SEP])", sp.tok)
		}
		*sp.id = id
		wp.specials = append(wp.specials, sp.tok)
	}
	return wp, nil
}

// Encode returns [CLS] wordpieces... [SEP], the reference's encoding of one
// sentence (special tokens added, no truncation).
func (wp *WordPiece) Encode(s string) []int {
	ids := []int{wp.cls}
	ids = wp.AppendPieces(ids, s)
	return append(ids, wp.sep)
}

// AppendPieces appends the ids of s's word pieces, without [CLS]/[SEP].
func (wp *WordPiece) AppendPieces(ids []int, s string) []int {
	var words [][]rune
	for _, seg := range splitSpecial(s, wp.specials) {
		if seg.special {
			ids = append(ids, wp.vocab[seg.text])
			continue
		}
		words = preTokenize(wp.norm.normalize(seg.text), words[:0])
		for _, w := range words {
			ids = wp.appendWord(ids, w)
		}
	}
	return ids
}

// Tokens returns the word-piece strings of s (no [CLS]/[SEP]), for display.
func (wp *WordPiece) Tokens(s string) []string {
	ids := wp.AppendPieces(nil, s)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = wp.idToToken[id]
	}
	return out
}

// appendWord appends the WordPiece segmentation of one word: repeatedly
// take the longest vocab entry that starts at the current position
// ("##"-prefixed after the first piece). A word with no complete
// segmentation, or longer than MaxWordChars, is a single [UNK].
//
// Candidates longer than the longest vocab entry are not tried (they
// cannot match), which bounds the work per word at
// MaxWordChars × maxPieceRunes look-ups whatever the input.
func (wp *WordPiece) appendWord(ids []int, word []rune) []int {
	if len(word) > MaxWordChars {
		return append(ids, wp.unk)
	}
	mark := len(ids)
	// key holds "##" followed by the UTF-8 of word; runeEnd[i] is the byte
	// offset (after the prefix) where rune i ends.
	var keyArr [2 + 4*MaxWordChars]byte
	key := append(keyArr[:0], "##"...)
	var runeEndArr [MaxWordChars + 1]int
	runeEnd := runeEndArr[:1]
	for _, r := range word {
		key = utf8.AppendRune(key, r)
		runeEnd = append(runeEnd, len(key)-2)
	}
	body := key[2:]
	for start := 0; start < len(word); {
		found := -1
		end := min(len(word), start+wp.maxPieceRunes)
		for ; end > start; end-- {
			var cand []byte
			if start == 0 {
				cand = body[:runeEnd[end]]
			} else {
				// "##" + word[start:end]: write the prefix just before the
				// piece; the bytes it overwrites were consumed already.
				cand = key[runeEnd[start] : runeEnd[end]+2]
				cand[0], cand[1] = '#', '#'
			}
			if id, ok := wp.vocab[string(cand)]; ok {
				found = id
				break
			}
		}
		if found < 0 {
			return append(ids[:mark], wp.unk)
		}
		ids = append(ids, found)
		start = end
	}
	return ids
}

// VocabSize is the number of ids (lines of vocab.txt).
func (wp *WordPiece) VocabSize() int { return len(wp.idToToken) }

// PadID is the id of [PAD], the reference's pad_token_id.
func (wp *WordPiece) PadID() int { return wp.pad }

// SepID is the id of [SEP], the reference's sep_token_id.
func (wp *WordPiece) SepID() int { return wp.sep }

// ClsID is the id of [CLS], which starts every encoded sentence.
func (wp *WordPiece) ClsID() int { return wp.cls }

// UnkID is the id of [UNK].
func (wp *WordPiece) UnkID() int { return wp.unk }

// MaskID is the id of [MASK], or -1 if the vocab has none.
func (wp *WordPiece) MaskID() int { return wp.mask }

// Token returns the vocab entry of id, or "" and false for ids outside the
// vocab (or ids no token maps to because of a duplicate line).
func (wp *WordPiece) Token(id int) (string, bool) {
	if id < 0 || id >= len(wp.idToToken) || !wp.hasToken[id] {
		return "", false
	}
	return wp.idToToken[id], true
}

// ID returns the id of a vocab entry.
func (wp *WordPiece) ID(token string) (int, bool) {
	id, ok := wp.vocab[token]
	return id, ok
}
