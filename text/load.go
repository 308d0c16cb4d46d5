package text

import (
	"errors"
	"fmt"
	"strings"
)

// Load picks a tokenizer from a `--vocab` value, like the reference's
// option of the same name:
//
//	bert:PATH         uncased BERT WordPiece from the vocab.txt at PATH
//	                  (the reference's `bert` = bert-base-uncased)
//	bert-cased:PATH   cased BERT WordPiece (no lowercasing, accents kept)
//	PATH              the reference's own-vocabulary mode (CustomVocab)
//
// The bare value "bert" is an error: the reference downloads
// bert-base-uncased from the HuggingFace hub, which this offline, pure-Go
// build cannot; pass that model's vocab.txt as bert:PATH, or make a vocab
// with `diffuseq vocab build`.
func Load(vocab string) (Tokenizer, error) {
	switch {
	case vocab == "bert" || vocab == "bert-cased":
		return nil, errors.New(`--vocab bert needs the vocabulary file: use bert:PATH/vocab.txt (bert-base-uncased's vocab.txt, or one made by "diffuseq vocab build --kind wordpiece")`)
	case strings.HasPrefix(vocab, "bert:"):
		return LoadWordPiece(strings.TrimPrefix(vocab, "bert:"), true)
	case strings.HasPrefix(vocab, "bert-cased:"):
		return LoadWordPiece(strings.TrimPrefix(vocab, "bert-cased:"), false)
	case vocab == "":
		return nil, errors.New("--vocab is empty")
	default:
		cv, err := LoadCustomVocab(vocab)
		if err != nil {
			return nil, fmt.Errorf("custom vocab: %w", err)
		}
		return cv, nil
	}
}
