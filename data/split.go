package data

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/diffuseq-go/diffuseq/text"
)

// SplitFile returns the file of a split in a dataset directory: train,
// valid and test are train.jsonl, valid.jsonl and test.jsonl; any other
// split name is an error, as in the reference.
func SplitFile(dir, split string) (string, error) {
	switch split {
	case "train", "valid", "test":
		return filepath.Join(dir, split+".jsonl"), nil
	}
	return "", fmt.Errorf("unknown split %q (want train, valid or test)", split)
}

// Files returns the jsonl files a --data argument names: the file itself,
// or every *.jsonl directly inside a directory, sorted.
func Files(pathOrDir string) ([]string, error) {
	st, err := os.Stat(pathOrDir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{pathOrDir}, nil
	}
	files, err := filepath.Glob(filepath.Join(pathOrDir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .jsonl files", pathOrDir)
	}
	return files, nil
}

// LoadSplit loads split (train, valid or test) of a dataset directory.
func LoadSplit(dir, split string, tok text.Tokenizer, opt Options) (*Dataset, error) {
	path, err := SplitFile(dir, split)
	if err != nil {
		return nil, err
	}
	return Load(path, tok, opt)
}
