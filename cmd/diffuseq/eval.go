package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/diffuseq-go/diffuseq/metrics"
)

func init() {
	register(command{name: "eval", summary: "score decode outputs: BLEU, ROUGE-L, dist-1, self-BLEU/div-4, MBR", run: runEval})
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// evalRow is one line of the report: a decode file, or the MBR selection.
type evalRow struct {
	Label     string      `json:"label"`
	Path      string      `json:"path,omitempty"`
	Seed      json.Number `json:"seed,omitempty"`
	Lines     int         `json:"lines"`
	BLEU      float64     `json:"bleu"`
	ROUGEL    float64     `json:"rouge_l"`
	Dist1     float64     `json:"dist1"`
	AvgLen    float64     `json:"avg_len"`
	SacreBLEU float64     `json:"sacrebleu"`
}

// evalReport is the --json output.
type evalReport struct {
	Tokenize  string    `json:"sacrebleu_tokenize"`
	Files     []evalRow `json:"files"`
	MBR       *mbrRow   `json:"mbr,omitempty"`
	Diversity *divRow   `json:"diversity,omitempty"`
}

type mbrRow struct {
	evalRow
	Candidates int   `json:"candidates"`
	PickedFrom []int `json:"picked_from"` // how many lines were taken from each file
}

type divRow struct {
	Candidates int     `json:"candidates"`
	SelfBLEU   float64 `json:"self_bleu"`
	Div4       float64 `json:"div4"`
}

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", stderr)
	var preds stringList
	fs.Var(&preds, "pred", "decode output `FILE` (jsonl); repeat for several seeds")
	folder := fs.String("folder", "", "score every *json file of `DIR`, sorted by name (the reference's --folder)")
	mbr := fs.Bool("mbr", false, "also select one output per line by MBR over the files (needs >= 2)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	tokName := fs.String("tokenize", "13a", "sacrebleu tokenizer for the corpus BLEU column: 13a, none or intl")
	specials := fs.String("specials", "bert", "special-token set to delete: bert ([CLS] [SEP] [PAD]) or own ([START] [END] [PAD])")
	var sp metrics.Specials
	fs.StringVar(&sp.SOS, "sos", "", "start token deleted from the texts (overrides --specials)")
	fs.StringVar(&sp.EOS, "eos", "", "end token deleted from the texts (overrides --specials)")
	fs.StringVar(&sp.SEP, "sep", "", "separator token deleted from reference and recover (overrides --specials)")
	fs.StringVar(&sp.PAD, "pad", "", "pad token deleted from recover (overrides --specials)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: diffuseq eval --pred FILE [--pred FILE...] | --folder DIR [--mbr] [--json]")
		fmt.Fprintln(stderr, "\nScores decode outputs as the reference's scripts/eval_seq2seq.py does (see docs/metrics.md).")
		fmt.Fprintln(stderr, "Each line: {\"recover\": ..., \"reference\": ..., \"source\": ...} (extra fields such as \"seed\" are allowed).")
		fmt.Fprintln(stderr, "For own-vocabulary runs pass --specials own.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	tok, err := metrics.ParseTokenizer(*tokName)
	if err != nil {
		return fmt.Errorf("--tokenize: %v", err)
	}
	if sp, err = resolveSpecials(*specials, sp, fs); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q (give files with --pred)", fs.Arg(0))
	}
	paths := []string(preds)
	if *folder != "" {
		if len(paths) > 0 {
			return errors.New("give either --pred files or --folder, not both")
		}
		if paths, err = folderFiles(*folder); err != nil {
			return err
		}
	}
	if len(paths) == 0 {
		fs.Usage()
		return errors.New("no input: give --pred FILE or --folder DIR")
	}
	if *mbr && len(paths) < 2 {
		return fmt.Errorf("--mbr needs at least two decode files (one per seed), got %d", len(paths))
	}

	files := make([]*metrics.DecodeFile, len(paths))
	for i, p := range paths {
		f, err := metrics.ReadDecodeFile(p)
		if err != nil {
			return err
		}
		files[i] = f
	}
	if err := checkAligned(files); err != nil {
		return err
	}
	report := scoreFiles(files, sp, tok, *mbr)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	printEvalTable(stdout, report)
	return nil
}

// scoreFiles cleans every line with sp, scores each file, and adds the
// diversity over files (when there are several) and the MBR selection.
func scoreFiles(files []*metrics.DecodeFile, sp metrics.Specials, tok metrics.Tokenizer, mbr bool) evalReport {
	report := evalReport{Tokenize: string(tok)}
	seeds := make([][]metrics.Example, len(files))
	for k, f := range files {
		seeds[k] = make([]metrics.Example, len(f.Examples))
		for i, e := range f.Examples {
			seeds[k][i] = sp.Clean(e)
		}
		row := rowOf(metrics.Score(seeds[k], tok))
		row.Label, row.Path, row.Seed = filepath.Base(f.Path), f.Path, f.Seed
		report.Files = append(report.Files, row)
	}
	if len(files) < 2 {
		return report
	}
	cands := make([][]string, len(seeds[0]))
	for i := range cands {
		cands[i] = make([]string, len(seeds))
		for k := range seeds {
			cands[i][k] = seeds[k][i].Recover
		}
	}
	selfBLEU, div4 := metrics.Diversity(cands)
	report.Diversity = &divRow{Candidates: len(files), SelfBLEU: selfBLEU, Div4: div4}
	if mbr {
		selected, from := metrics.MBR(seeds)
		m := &mbrRow{evalRow: rowOf(metrics.Score(selected, tok)), Candidates: len(files), PickedFrom: make([]int, len(files))}
		m.Label = fmt.Sprintf("MBR over %d", len(files))
		for _, k := range from {
			m.PickedFrom[k]++
		}
		report.MBR = m
	}
	return report
}

// resolveSpecials starts from the named set and keeps every --sos, --eos,
// --sep or --pad given explicitly (an explicit empty value deletes nothing).
func resolveSpecials(name string, given metrics.Specials, fs *flag.FlagSet) (metrics.Specials, error) {
	var sp metrics.Specials
	switch name {
	case "bert":
		sp = metrics.BertSpecials
	case "own":
		sp = metrics.OwnVocabSpecials
	default:
		return sp, fmt.Errorf("--specials %q: want bert or own", name)
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "sos":
			sp.SOS = given.SOS
		case "eos":
			sp.EOS = given.EOS
		case "sep":
			sp.SEP = given.SEP
		case "pad":
			sp.PAD = given.PAD
		}
	})
	return sp, nil
}

func rowOf(s metrics.Scores) evalRow {
	return evalRow{Lines: s.N, BLEU: s.BLEU, ROUGEL: s.ROUGEL, Dist1: s.Dist1, AvgLen: s.AvgLen, SacreBLEU: s.SacreBLEU}
}

func printEvalTable(w io.Writer, r evalReport) {
	rows := append([]evalRow(nil), r.Files...)
	if r.MBR != nil {
		rows = append(rows, r.MBR.evalRow)
	}
	labels, width := make([]string, len(rows)), len("file")
	for i, e := range rows {
		labels[i] = e.Label
		if e.Seed != "" {
			labels[i] += fmt.Sprintf(" (seed %s)", e.Seed)
		}
		width = max(width, len([]rune(labels[i])))
	}
	// Numbers are right-aligned; labels are padded to one width first so
	// that they read left-aligned.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tlines\tBLEU\tROUGE-L\tdist-1\tavg len\tsacreBLEU\t\n", width, "file")
	for i, e := range rows {
		fmt.Fprintf(tw, "%-*s\t%d\t%.4f\t%.4f\t%.4f\t%.2f\t%.2f\t\n",
			width, labels[i], e.Lines, e.BLEU, e.ROUGEL, e.Dist1, e.AvgLen, e.SacreBLEU)
	}
	tw.Flush()
	if d := r.Diversity; d != nil {
		fmt.Fprintf(w, "\ndiversity over %d seeds: self-BLEU %.4f (lower = more diverse)  div-4 %.4f\n", d.Candidates, d.SelfBLEU, d.Div4)
	}
	fmt.Fprintln(w, "\nBLEU: NLTK sentence BLEU (method4), mean over lines; ROUGE-L: torchmetrics rougeL F;")
	fmt.Fprintf(w, "sacreBLEU: corpus BLEU, tokenize %s, 0-100. BERTScore is not computed (see docs/metrics.md).\n", r.Tokenize)
}
