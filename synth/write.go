package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// File names in a dataset directory, as the reference expects them (spec
// 1.1), plus the own-vocabulary file passed as --vocab (spec 1.2).
const (
	TrainFile = "train.jsonl"
	ValidFile = "valid.jsonl"
	TestFile  = "test.jsonl"
	VocabFile = "vocab.txt"
)

// WriteDir writes the corpus into dir (created if needed) as train.jsonl,
// valid.jsonl and test.jsonl, one {"src": ..., "trg": ...} object per line,
// and vocab.txt, one word per line. The reference's tokenizer puts
// [START]=0 [END]=1 [UNK]=2 [PAD]=3 in front, so the file's words get ids
// 4, 5, ... and the file must not (and does not) list those four.
func (c Corpus) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, split := range []struct {
		name string
		ex   []Example
	}{{TrainFile, c.Train}, {ValidFile, c.Valid}, {TestFile, c.Test}} {
		if err := writeFile(filepath.Join(dir, split.name), func(w *bufio.Writer) error {
			enc := json.NewEncoder(w)
			for _, e := range split.ex {
				if err := enc.Encode(e); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return writeFile(filepath.Join(dir, VocabFile), func(w *bufio.Writer) error {
		for _, t := range Vocab() {
			if _, err := fmt.Fprintln(w, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeFile creates path, lets fill write it through a buffer, and reports
// the first error of writing, flushing or closing.
func writeFile(path string, fill func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("synth: writing %s: %w", path, err)
	}
	return nil
}
