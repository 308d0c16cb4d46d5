package text

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// TokenizerFile is the file SaveDir writes into a run directory to say
// which tokenizer the run uses; LoadDir reads it back. (Not
// "tokenizer.json": a reference run directory holds HuggingFace's file of
// that name.)
const TokenizerFile = "diffuseq_tokenizer.json"

// tokenizerInfo is the content of TokenizerFile.
type tokenizerInfo struct {
	Kind      string `json:"kind"`                // "bert" or "custom"
	Lowercase bool   `json:"lowercase,omitempty"` // bert: uncased
	VocabFile string `json:"vocab_file"`          // next to TokenizerFile
}

// SaveDir stores tok in a run directory, as the reference saves its
// tokenizer next to checkpoints: a BERT vocabulary as vocab.txt, an own
// vocabulary as vocab.json ({"token": id, ...}, the reference's format),
// plus TokenizerFile naming the mode. LoadDir restores the same ids.
func SaveDir(tok Tokenizer, dir string) error {
	var info tokenizerInfo
	var body []byte
	switch t := tok.(type) {
	case *WordPiece:
		info = tokenizerInfo{Kind: "bert", Lowercase: t.norm.lowercase, VocabFile: "vocab.txt"}
		for _, s := range t.tokens {
			body = append(append(body, s...), '\n')
		}
	case *CustomVocab:
		info = tokenizerInfo{Kind: "custom", VocabFile: "vocab.json"}
		var err error
		if body, err = json.Marshal(t.vocab); err != nil {
			return err
		}
	default:
		return fmt.Errorf("text.SaveDir: unsupported tokenizer %T", tok)
	}
	if err := os.WriteFile(filepath.Join(dir, info.VocabFile), body, 0o644); err != nil {
		return err
	}
	meta, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, TokenizerFile), append(meta, '\n'), 0o644)
}

// LoadDir loads the tokenizer SaveDir stored in dir. Without
// TokenizerFile it reads what a reference run directory holds: vocab.json
// (the own-vocabulary mode) or else vocab.txt (bert-base-uncased, saved
// by save_pretrained).
func LoadDir(dir string) (Tokenizer, error) {
	path := filepath.Join(dir, TokenizerFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if _, jerr := os.Stat(filepath.Join(dir, "vocab.json")); jerr == nil {
			return loadCustomJSON(filepath.Join(dir, "vocab.json"))
		}
		if _, terr := os.Stat(filepath.Join(dir, "vocab.txt")); terr == nil {
			return LoadWordPiece(filepath.Join(dir, "vocab.txt"), true)
		}
		return nil, fmt.Errorf("%s: no %s, vocab.json or vocab.txt", dir, TokenizerFile)
	}
	if err != nil {
		return nil, err
	}
	var info tokenizerInfo
	if err := json.Unmarshal(raw, &info); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	vocabPath := filepath.Join(dir, filepath.Base(info.VocabFile))
	switch info.Kind {
	case "bert":
		return LoadWordPiece(vocabPath, info.Lowercase)
	case "custom":
		return loadCustomJSON(vocabPath)
	}
	return nil, fmt.Errorf("%s: kind: unknown tokenizer kind %q (want bert or custom)", path, info.Kind)
}

// loadCustomJSON reads a vocab.json ({"token": id}) whose ids must be
// 0..n-1 with the four specials at 0..3.
func loadCustomJSON(path string) (*CustomVocab, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m map[string]int
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	toks := make([]string, len(m))
	for tok, id := range m {
		if id < 0 || id >= len(m) || toks[id] != "" {
			return nil, fmt.Errorf("%s: token %q: id %d is out of range or shared", path, tok, id)
		}
		toks[id] = tok
	}
	if len(toks) < 4 || toks[StartID] != "[START]" || toks[EndID] != "[END]" || toks[UnkID] != "[UNK]" || toks[PadID] != "[PAD]" {
		return nil, fmt.Errorf("%s: ids 0-3 must be [START] [END] [UNK] [PAD]", path)
	}
	cv, err := NewCustomVocab(toks[4:])
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return cv, nil
}
