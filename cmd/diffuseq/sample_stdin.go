package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/generate"
	"github.com/diffuseq-go/diffuseq/internal/progress"
)

// interactiveStdin reports whether stdin is a terminal: then `sample
// --stdin` answers every line as soon as it is typed, instead of reading
// to EOF and decoding in batches. Tests replace it.
var interactiveStdin = func() bool {
	f, ok := sampleStdin.(*os.File)
	return ok && progress.IsTerminal(f)
}

// readSourceLines reads one source per line (trailing \r removed).
func readSourceLines(r io.Reader) ([]string, error) {
	var srcs []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), data.MaxLineBytes)
	for sc.Scan() {
		srcs = append(srcs, strings.TrimSuffix(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("stdin line %d: %v", len(srcs)+1, err)
	}
	return srcs, nil
}

// runInteractive decodes each stdin line on its own as it arrives, with
// every seed (so a line's output does not depend on the lines before it),
// printing the outputs to stdout and the traces to stderr. The HTML
// trace, if asked for, is written at the end of the input.
func runInteractive(g *generate.Generator, f *sampleFlags, opt generate.Options, stdout, stderr io.Writer) ([]generate.TraceItem, error) {
	fmt.Fprintln(stderr, "type a source sentence per line (end with Ctrl-D)")
	sc := bufio.NewScanner(sampleStdin)
	sc.Buffer(make([]byte, 64<<10), data.MaxLineBytes)
	var traced []generate.TraceItem
	for n := 1; sc.Scan(); n++ {
		src := strings.TrimSuffix(sc.Text(), "\r")
		for k, seed := range f.seeds {
			opt.Seed = seed
			res, err := g.Generate(context.Background(), []string{src}, opt)
			if err != nil {
				return nil, err
			}
			if err := printStdinResults(stdout, g, res, []int{n}, seed, len(f.seeds) > 1, f.asJSON); err != nil {
				return nil, err
			}
			if f.trace > 0 {
				if err := printTraces(stderr, g, res, seed); err != nil {
					return nil, err
				}
			}
			if k == 0 && f.traceHTML != "" && len(traced) < maxHTMLSentences {
				traced = append(traced, generate.TraceItemOf(res[0]))
			}
		}
		if f.limit > 0 && n >= f.limit {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("stdin: %v", err)
	}
	return traced, nil
}
