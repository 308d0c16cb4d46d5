package text

import "strings"

// Decode turns ids back into text as the reference's decode_token does for
// the bert mode (spec 1.7): trailing [PAD]s are removed (inner ones stay),
// the tokens are joined with single spaces, every " ##" is deleted (merging
// continuations), and the clean-up of spaces before punctuation and
// English contractions is applied. Special tokens are kept, so the result
// looks like "[CLS] how can i make friends? [SEP]". Ids outside the vocab
// are skipped, as HuggingFace's decoder skips ids it cannot map.
func (wp *WordPiece) Decode(ids []int) string {
	ids = trimTrailing(ids, wp.pad)
	toks := make([]string, 0, len(ids))
	for _, id := range ids {
		if tok, ok := wp.Token(id); ok {
			toks = append(toks, tok)
		}
	}
	return JoinWordPieces(toks)
}

// JoinWordPieces joins word-piece strings the way the reference decodes:
// join with spaces, delete " ##", then clean up twice — once in the
// tokenizers library's WordPiece decoder (which also rewrites " do not" to
// " don't") and once more in transformers' decode (without that rule).
func JoinWordPieces(toks []string) string {
	return cleanUpSpaces(cleanUpSpaces(mergeWordPieces(toks), true), false)
}

// mergeWordPieces joins tokens with spaces and deletes every " ##", so
// continuation pieces attach to the piece before them.
func mergeWordPieces(toks []string) string {
	return strings.ReplaceAll(strings.Join(toks, " "), " ##", "")
}

// cleanUpSpaces removes the spaces that tokenisation put before
// punctuation and contraction suffixes. The replacements run in this
// order, each over the whole string (non-overlapping, left to right).
func cleanUpSpaces(s string, doNot bool) string {
	s = strings.ReplaceAll(s, " .", ".")
	s = strings.ReplaceAll(s, " ?", "?")
	s = strings.ReplaceAll(s, " !", "!")
	s = strings.ReplaceAll(s, " ,", ",")
	s = strings.ReplaceAll(s, " ' ", "'")
	s = strings.ReplaceAll(s, " n't", "n't")
	s = strings.ReplaceAll(s, " 'm", "'m")
	if doNot {
		s = strings.ReplaceAll(s, " do not", " don't")
	}
	s = strings.ReplaceAll(s, " 's", "'s")
	s = strings.ReplaceAll(s, " 've", "'ve")
	s = strings.ReplaceAll(s, " 're", "'re")
	return s
}

// trimTrailing returns ids without its trailing run of pad.
func trimTrailing(ids []int, pad int) []int {
	n := len(ids)
	for n > 0 && ids[n-1] == pad {
		n--
	}
	return ids[:n]
}
