package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/diffuseq-go/diffuseq/metrics"
)

// table prints the markdown table of docs/benchmarks.md for a decode
// folder: one row per setting of timing.tsv (the last timing of a
// setting, if it was decoded twice), scored as `diffuseq eval` scores,
// optionally led by a full-sampler row decoded elsewhere
// (bench/anchor/decode.sh), whose rate is given.
//
//	go run ./bench/samplers table --out DIR [--full FILE --full-rate R --full-label TEXT] [--specials own]
func table(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("table", flag.ContinueOnError)
	out := fs.String("out", "", "decode folder of `samplers decode` (timing.tsv, <setting>/seed<S>.json)")
	seed := fs.Uint64("seed", 101, "seed of the files to score")
	full := fs.String("full", "", "optional decoded file of the full sampler, scored as the first row")
	fullRate := fs.Float64("full-rate", 0, "sentences/s of --full (0: not shown)")
	fullLabel := fs.String("full-label", "full 2000-step (reference decoder)", "first column of the --full row")
	specials := fs.String("specials", "own", "special tokens deleted before scoring: own or bert")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("table needs --out")
	}
	sp := metrics.OwnVocabSpecials
	switch *specials {
	case "own":
	case "bert":
		sp = metrics.BertSpecials
	default:
		return fmt.Errorf("--specials %q: want own or bert", *specials)
	}
	timings, err := readTimings(filepath.Join(*out, "timing.tsv"))
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| setting | sentences | BLEU | ROUGE-L | dist-1 | sentences/s |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	row := func(label, path string, rate float64) error {
		ex, err := readDecoded(path, sp)
		if err != nil {
			return err
		}
		s := metrics.Score(ex, metrics.Tokenize13a)
		r := "–"
		if rate > 0 {
			r = fmt.Sprintf("%.3f", rate)
		}
		fmt.Fprintf(w, "| %s | %d | %.4f | %.4f | %.4f | %s |\n", label, s.N, s.BLEU, s.ROUGEL, s.Dist1, r)
		return nil
	}
	if *full != "" {
		if err := row(*fullLabel, *full, *fullRate); err != nil {
			return err
		}
	}
	for _, t := range timings {
		if err := row(t.name, filepath.Join(*out, t.name, fmt.Sprintf("seed%d.json", *seed)), t.rate); err != nil {
			return err
		}
	}
	return nil
}

// timing is one line of timing.tsv: setting, sentences, seconds, rate.
type timing struct {
	name string
	rate float64
}

// readTimings keeps the file's order of first appearance and each
// setting's last rate.
func readTimings(path string) ([]timing, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []timing
	at := map[string]int{}
	for i, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 tab-separated fields, got %d", path, i+1, len(f))
		}
		rate, err := strconv.ParseFloat(f[3], 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: rate: %v", path, i+1, err)
		}
		if j, ok := at[f[0]]; ok {
			out[j].rate = rate
			continue
		}
		at[f[0]] = len(out)
		out = append(out, timing{f[0], rate})
	}
	return out, nil
}

// readDecoded reads a reference-format decode file and applies the eval
// script's cleanup.
func readDecoded(path string, sp metrics.Specials) ([]metrics.Example, error) {
	df, err := metrics.ReadDecodeFile(path)
	if err != nil {
		return nil, err
	}
	ex := make([]metrics.Example, len(df.Examples))
	for i, e := range df.Examples {
		ex[i] = sp.Clean(e)
	}
	return ex, nil
}
