package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/text"
)

func init() {
	register(command{name: "vocab", summary: "build a vocabulary from training jsonl (vocab build)", run: runVocab})
}

func runVocab(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "build":
			return runVocabBuild(args[1:], stdout, stderr)
		case "encode":
			return runVocabEncode(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, `usage:
  diffuseq vocab build --data DIR|FILE --out vocab.txt [--kind word|wordpiece] [--min-freq N] [--size N] [--cased] [--skip-bad]
  diffuseq vocab encode --vocab VOCAB [TEXT ...]   (TEXT from stdin lines if none)`)
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		return flag.ErrHelp
	}
	return errUsage
}

// vocabBuildFlags are the options of `diffuseq vocab build`.
type vocabBuildFlags struct {
	data, out, kind string
	minFreq, size   int
	cased, skipBad  bool
}

func runVocabBuild(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("vocab build", stderr)
	var f vocabBuildFlags
	fs.StringVar(&f.data, "data", "", "training data: a jsonl file, or a dataset directory (its train.jsonl is used)")
	fs.StringVar(&f.out, "out", "", "output vocabulary file")
	fs.StringVar(&f.kind, "kind", "word", "word: whitespace tokens for the own-vocabulary mode (--vocab PATH); wordpiece: a BERT vocab.txt (--vocab bert:PATH)")
	fs.IntVar(&f.minFreq, "min-freq", 2, "word: keep tokens seen at least this often; wordpiece: stop merging below this pair count")
	fs.IntVar(&f.size, "size", 0, "maximum number of entries (0: word = no limit, wordpiece = 8000)")
	fs.BoolVar(&f.cased, "cased", false, "wordpiece: keep case and accents (default: lowercase and strip accents, like bert-base-uncased)")
	fs.BoolVar(&f.skipBad, "skip-bad", false, "skip and count bad jsonl lines instead of stopping at the first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if f.data == "" || f.out == "" {
		return errors.New("--data and --out are required")
	}
	if f.kind != "word" && f.kind != "wordpiece" {
		return fmt.Errorf("--kind %q: want word or wordpiece", f.kind)
	}
	if f.minFreq < 1 || f.size < 0 {
		return errors.New("--min-freq must be at least 1 and --size at least 0")
	}
	path := f.data
	if st, err := os.Stat(path); err != nil {
		return err
	} else if st.IsDir() {
		path = filepath.Join(path, "train.jsonl")
	}
	counts, lines, skipped, err := countTokens(path, f, stderr)
	if err != nil {
		return err
	}
	var vocab []string
	if f.kind == "word" {
		vocab = text.WordVocab(counts, f.minFreq)
		if f.size > 0 && len(vocab) > f.size {
			vocab = vocab[:f.size]
		}
	} else {
		size := f.size
		if size == 0 {
			size = 8000
		}
		vocab = text.TrainWordPiece(counts, size, f.minFreq)
	}
	if err := writeLines(f.out, vocab); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d %s entries from %d examples (%d distinct tokens) in %s", f.out, len(vocab), f.kind, lines, len(counts), path)
	if skipped > 0 {
		fmt.Fprintf(stdout, ", %d bad lines skipped", skipped)
	}
	fmt.Fprintln(stdout)
	return nil
}

// countTokens counts the tokens of every src and trg in a jsonl file.
func countTokens(path string, f vocabBuildFlags, stderr io.Writer) (counts map[string]int, lines, skipped int, err error) {
	r, err := data.Open(path)
	if err != nil {
		return nil, 0, 0, err
	}
	defer r.Close()
	counts = map[string]int{}
	for {
		ex, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if f.skipBad && data.IsLineError(err) {
				if skipped < 10 {
					fmt.Fprintf(stderr, "skipping %v\n", err)
				}
				skipped++
				continue
			}
			return nil, 0, 0, err
		}
		lines++
		for _, s := range []string{ex.Src, ex.Trg} {
			var toks []string
			if f.kind == "word" {
				toks = strings.Fields(s)
			} else {
				toks = text.BertWords(s, !f.cased)
			}
			for _, t := range toks {
				counts[t]++
			}
		}
	}
	if lines == 0 {
		return nil, 0, 0, fmt.Errorf("%s: no usable examples", path)
	}
	return counts, lines, skipped, nil
}

// writeLines writes one entry per line with LF endings.
func writeLines(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, l := range lines {
		w.WriteString(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
