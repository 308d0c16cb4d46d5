// Package text holds the tokenizers of the DiffuSeq pipeline: the two
// modes of the reference's `--vocab` option, behind one interface.
//
// WordPiece is BERT's tokenizer (the reference default, bert-base-uncased
// through HuggingFace's fast tokenizer): literal special tokens such as
// "[SEP]" are recognised verbatim in the raw text, the rest is cleaned
// (control characters dropped, whitespace unified), CJK ideographs are
// split out, and — for uncased vocabularies — accents are stripped (NFD,
// then nonspacing marks dropped) and text lowercased; the pre-tokenizer
// splits on whitespace and isolates punctuation; each word is then cut
// greedily into the longest vocab entries, continuations prefixed "##";
// a word over 100 characters or with no segmentation becomes [UNK].
// Encoding one sentence gives [CLS] pieces... [SEP].
//
// CustomVocab is the reference's own-vocabulary mode: whitespace tokens,
// [START]=0 [END]=1 [UNK]=2 [PAD]=3, then the file's tokens; a sentence
// encodes as [START] ids... [END].
//
// Both decode as the reference's decode_token does (spec section 1.7),
// because BLEU is computed on the whitespace tokens of that string.
//
// The WordPiece tokenizer is checked against HuggingFace's tokenizers
// (the npm package, an implementation nobody here wrote): code point by
// code point for the normaliser and pre-tokenizer, and on several hundred
// strings for whole encodings; see testdata/tokenizer/README.md.
package text

// Tokenizer is what training and sampling need from a vocabulary.
type Tokenizer interface {
	// Encode returns the ids of one sentence wrapped in the start and end
	// tokens ([CLS] … [SEP] or [START] … [END]); no truncation.
	Encode(s string) []int
	// Decode returns the text of ids as the reference's decode_token
	// does, trailing pads removed.
	Decode(ids []int) string
	// VocabSize is V, the number of ids.
	VocabSize() int
	// PadID is the reference's pad_token_id ([PAD]).
	PadID() int
	// SepID is the reference's sep_token_id ([SEP] or [END]), placed
	// between source and target.
	SepID() int
	// Token returns the string of one id (false if out of range).
	Token(id int) (string, bool)
	// ID returns the id of a token string (false if not in the vocab).
	ID(token string) (int, bool)
}

var (
	_ Tokenizer = (*WordPiece)(nil)
	_ Tokenizer = (*CustomVocab)(nil)
)
