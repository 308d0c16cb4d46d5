package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/diffuseq-go/diffuseq/text"
)

// runVocabEncode shows how a vocabulary tokenises text: for each input,
// the ids, the tokens, and the reference-style decoding of the ids — the
// quickest way to see what a model trained with that --vocab will read.
func runVocabEncode(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("vocab encode", stderr)
	vocab := fs.String("vocab", "", "tokenizer: bert:PATH, bert-cased:PATH or an own-vocabulary PATH (as for training)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *vocab == "" {
		return errors.New("--vocab is required")
	}
	tok, err := text.Load(*vocab)
	if err != nil {
		return err
	}
	show := func(s string) {
		ids := tok.Encode(s)
		toks := make([]string, len(ids))
		for i, id := range ids {
			toks[i], _ = tok.Token(id)
		}
		fmt.Fprintf(stdout, "text:    %q\nids:     %v\ntokens:  %s\ndecoded: %q\n\n", s, ids, strings.Join(toks, " "), tok.Decode(ids))
	}
	if fs.NArg() > 0 {
		for _, s := range fs.Args() {
			show(s)
		}
		return nil
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		show(sc.Text())
	}
	return sc.Err()
}
