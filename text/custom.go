package text

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"unicode"
)

// Ids of the four tokens the reference's own-vocabulary mode puts in front
// of the file's tokens (basic_utils.myTokenizer).
const (
	StartID = 0 // [START], begins every encoded sentence
	EndID   = 1 // [END], ends it; also the sep_token_id
	UnkID   = 2 // [UNK]
	PadID   = 3 // [PAD]
)

// CustomVocab is the reference's `--vocab PATH` mode: whitespace tokens, no
// normalisation, ids [START]=0 [END]=1 [UNK]=2 [PAD]=3 then the file's
// tokens from 4 in file order.
type CustomVocab struct {
	vocab     map[string]int
	idToToken []string
}

// LoadCustomVocab reads a vocabulary file: one entry per line, the token is
// the first whitespace-separated field (so "token count" files work), blank
// lines are skipped. The reference gives each entry id "current dict size",
// so a duplicate token or one of the four specials in the file would make
// two tokens share an id; that is rejected here with the line number
// instead of silently corrupting the vocabulary.
func LoadCustomVocab(path string) (*CustomVocab, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cv := newCustomVocab()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		fields := strings.FieldsFunc(sc.Text(), isPySpace)
		if len(fields) == 0 {
			continue
		}
		tok := fields[0]
		if err := cv.add(tok); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", path, line+1, err)
	}
	if len(cv.idToToken) == 4 {
		return nil, fmt.Errorf("%s: no tokens", path)
	}
	return cv, nil
}

// NewCustomVocab builds the vocabulary from file tokens (ids from 4).
func NewCustomVocab(tokens []string) (*CustomVocab, error) {
	cv := newCustomVocab()
	for i, tok := range tokens {
		if err := cv.add(tok); err != nil {
			return nil, fmt.Errorf("token %d: %v", i+1, err)
		}
	}
	return cv, nil
}

func newCustomVocab() *CustomVocab {
	return &CustomVocab{
		vocab:     map[string]int{"[START]": StartID, "[END]": EndID, "[UNK]": UnkID, "[PAD]": PadID},
		idToToken: []string{"[START]", "[END]", "[UNK]", "[PAD]"},
	}
}

// add gives tok the next id.
func (cv *CustomVocab) add(tok string) error {
	if tok == "" || strings.ContainsFunc(tok, isPySpace) {
		return fmt.Errorf("token %q is empty or contains whitespace", tok)
	}
	if id, dup := cv.vocab[tok]; dup && id <= PadID {
		return fmt.Errorf("token %q is reserved (ids 0-3 are [START] [END] [UNK] [PAD]); for a BERT vocab.txt use --vocab bert:PATH", tok)
	} else if dup {
		return fmt.Errorf("token %q already has id %d", tok, id)
	}
	cv.vocab[tok] = len(cv.idToToken)
	cv.idToToken = append(cv.idToToken, tok)
	return nil
}

// Encode splits s on runs of whitespace (as Python's str.split(): Unicode
// White_Space and U+001C..U+001F) and returns [START] ids... [END];
// unknown tokens map to [UNK].
func (cv *CustomVocab) Encode(s string) []int {
	fields := strings.FieldsFunc(s, isPySpace)
	ids := make([]int, 0, len(fields)+2)
	ids = append(ids, StartID)
	for _, f := range fields {
		id, ok := cv.vocab[f]
		if !ok {
			id = UnkID
		}
		ids = append(ids, id)
	}
	return append(ids, EndID)
}

// isPySpace reports the characters Python's str.split() splits on.
func isPySpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1C && r <= 0x1F) }

// Decode drops trailing [PAD]s, joins the tokens with spaces and removes
// every "__ " and "@@ " (the BPE joiner), as the reference does. Ids
// outside the vocabulary are skipped.
func (cv *CustomVocab) Decode(ids []int) string {
	ids = trimTrailing(ids, PadID)
	toks := make([]string, 0, len(ids))
	for _, id := range ids {
		if id >= 0 && id < len(cv.idToToken) {
			toks = append(toks, cv.idToToken[id])
		}
	}
	s := strings.Join(toks, " ")
	s = strings.ReplaceAll(s, "__ ", "")
	return strings.ReplaceAll(s, "@@ ", "")
}

// VocabSize is 4 plus the number of file tokens.
func (cv *CustomVocab) VocabSize() int { return len(cv.idToToken) }

// PadID is the id of [PAD] (3).
func (cv *CustomVocab) PadID() int { return PadID }

// SepID is the id of [END] (1), the reference's sep_token_id in this mode.
func (cv *CustomVocab) SepID() int { return EndID }

// Token returns the token of id.
func (cv *CustomVocab) Token(id int) (string, bool) {
	if id < 0 || id >= len(cv.idToToken) {
		return "", false
	}
	return cv.idToToken[id], true
}

// ID returns the id of token.
func (cv *CustomVocab) ID(token string) (int, bool) {
	id, ok := cv.vocab[token]
	return id, ok
}
