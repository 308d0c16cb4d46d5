package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/generate"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

func init() {
	register(command{name: "sample", summary: "generate text with a trained model (decode a split, or lines from stdin)", run: runSample})
}

// stdin is where `sample --stdin` reads; tests replace it.
var sampleStdin io.Reader = os.Stdin

// maxHTMLSentences bounds the sentences drawn by --trace-html.
const maxHTMLSentences = 50

// sampleFlags are the parsed flags of `diffuseq sample`.
type sampleFlags struct {
	model, weights, vocab, split, data, out, traceHTML string
	fromStdin, ddim, asJSON, denoiseSet                bool
	steps, clampStep, bsz, limit, trace                int
	diffSteps                                          int
	schedule, sampler, meanEmbed                       string
	topP, denoiseRate                                  float64
	threads                                            int
	seeds                                              []uint64
}

func parseSampleFlags(args []string, stderr io.Writer) (*sampleFlags, error) {
	fs := newFlags("sample", stderr)
	var f sampleFlags
	fs.StringVar(&f.model, "model", "", "run folder or checkpoint `PATH` (training checkpoint or a `diffuseq import` file)")
	fs.StringVar(&f.weights, "weights", "ema", "weights of a training checkpoint: ema, ema_RATE or live")
	fs.StringVar(&f.vocab, "vocab", "", "vocabulary `V` (PATH or bert:PATH); needed for imported files")
	fs.StringVar(&f.split, "split", "test", "what to decode: valid, test (from the run's data_dir or --data) or a `FILE`.jsonl")
	fs.StringVar(&f.data, "data", "", "data `DIR` for --split valid|test (default: the run's data_dir)")
	fs.BoolVar(&f.fromStdin, "stdin", false, "read one source per line from stdin and print the outputs to stdout")
	fs.BoolVar(&f.asJSON, "json", false, "with --stdin: print one JSON object per output instead of plain text")
	fs.IntVar(&f.steps, "steps", 0, "reverse steps `N`: 0 = all K of the trained process; N < K respaces (or, with --ddim, the reference's DDIM path)")
	fs.BoolVar(&f.ddim, "ddim", false, "use the reference's --step DDIM sampler (eta 0, gap K/N) instead of respacing; needs --steps N < K")
	fs.StringVar(&f.sampler, "sampler", "", "fast sampler `NAME` with --steps N evaluations: ancestral, ddim (consistent, respaced), dpm-solver++ (default 10 steps) or dpm-solver++-v2ref; default: the reference decoder")
	fs.IntVar(&f.clampStep, "clamp-step", 0, "round to the nearest word embedding only at steps t >= `N` (0 = every step)")
	fs.Float64Var(&f.denoiseRate, "denoise-rate", 0, "DiffuSeq-v2 sampling-time discrete noise `λ` of the ancestral samplers (0 = off; default: the run's denoise_rate for the reference decoder and --sampler ancestral, as the reference's v2 decoder does)")
	fs.IntVar(&f.threads, "threads", 0, "worker threads (0: all cores, or DIFFUSEQ_THREADS)")
	fs.Float64Var(&f.topP, "top-p", 0, "truncate the step noise to |z| <= `P` (> 0; reference 3.9, not nucleus sampling)")
	seedList := fs.String("seed", "101", "RNG seed, or comma-separated `S1,S2,...`: one output file per seed (for MBR and diversity)")
	fs.IntVar(&f.bsz, "bsz", generate.DefaultBatchSize, "batch size (changes how random draws are grouped)")
	fs.IntVar(&f.limit, "limit", 0, "decode only the first `N` examples (0 = all)")
	fs.StringVar(&f.out, "out", "", "output `DIR` (default generation_outputs/RUN/SPLIT[_stepsN|_ddimN])")
	fs.IntVar(&f.trace, "trace", 0, "show the tokens read out every `K` steps, a few lines per sentence")
	fs.StringVar(&f.traceHTML, "trace-html", "", fmt.Sprintf("write the denoising of the first %d sentences (first seed) as an HTML page to `FILE`", maxHTMLSentences))
	fs.StringVar(&f.meanEmbed, "mean-embed", "", "DiffuSeq-v2 mean_embed sidecar `FILE` (default: mean_embed.safetensors next to the checkpoint, if present)")
	fs.IntVar(&f.diffSteps, "diffusion-steps", 0, "override the trained process's step count K (for imported files; default: from the run, else 2000)")
	fs.StringVar(&f.schedule, "noise-schedule", "", "override the noise schedule (for imported files; default: from the run, else sqrt)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: diffuseq sample --model RUN_DIR|FILE [--split valid|test|FILE.jsonl | --stdin] [flags]")
		fmt.Fprintln(stderr, "\nDecodes as the reference's sample_seq2seq.py (docs/sampling.md). Per seed it writes")
		fmt.Fprintln(stderr, "DIR/seedS_stepC.json ({\"recover\",\"reference\",\"source\"} per line, for `diffuseq eval`)")
		fmt.Fprintln(stderr, "and DIR/seedS_stepC.samples.jsonl (the same plus seed, line, tokens).\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	bad := func(format string, a ...any) (*sampleFlags, error) {
		fs.Usage()
		return nil, fmt.Errorf(format, a...)
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	fs.Visit(func(fl *flag.Flag) { f.denoiseSet = f.denoiseSet || fl.Name == "denoise-rate" })
	if f.model == "" {
		return bad("--model is required")
	}
	for _, s := range strings.Split(*seedList, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return bad("--seed %q: %q is not a non-negative integer", *seedList, s)
		}
		for _, prev := range f.seeds {
			if prev == v {
				return bad("--seed %q: seed %d given twice", *seedList, v)
			}
		}
		f.seeds = append(f.seeds, v)
	}
	switch {
	case f.steps < 0:
		return bad("--steps %d: must be >= 0", f.steps)
	case f.ddim && f.sampler != "":
		return bad("--ddim (the reference's DDIM path) and --sampler exclude each other")
	case f.ddim && f.steps == 0:
		return bad("--ddim needs --steps N (fewer than the trained process's steps)")
	case f.bsz < 1:
		return bad("--bsz %d: must be >= 1", f.bsz)
	case f.limit < 0:
		return bad("--limit %d: must be >= 0", f.limit)
	case f.trace < 0:
		return bad("--trace %d: must be >= 0", f.trace)
	case f.threads < 0:
		return bad("--threads %d: must be >= 0", f.threads)
	case f.clampStep < 0:
		return bad("--clamp-step %d: must be >= 0", f.clampStep)
	case f.asJSON && !f.fromStdin:
		return bad("--json applies to --stdin output only (files are always JSON lines)")
	}
	if f.fromStdin && f.out != "" {
		return bad("--stdin prints to stdout; --out is for --split decoding")
	}
	return &f, nil
}

func runSample(args []string, stdout, stderr io.Writer) error {
	f, err := parseSampleFlags(args, stderr)
	if err != nil {
		return err
	}
	if f.threads > 0 {
		parallel.SetThreads(f.threads)
	}
	g, err := generate.Load(f.model, generate.LoadOptions{Weights: f.weights, Vocab: f.vocab,
		DiffusionSteps: f.diffSteps, NoiseSchedule: f.schedule, MeanEmbed: f.meanEmbed})
	if err != nil {
		return err
	}
	opt := generate.Options{Steps: f.steps, DDIM: f.ddim, Sampler: diffuseq.Sampler(f.sampler), ClampStep: f.clampStep, TopP: f.topP, DenoiseRate: f.denoiseRate, BatchSize: f.bsz, TraceEvery: f.trace}
	if !f.denoiseSet && !f.ddim && (f.sampler == "" || opt.Sampler == diffuseq.SamplerAncestral) {
		opt.DenoiseRate = g.TrainedDenoiseRate()
	}
	steps, err := g.Steps(opt)
	if err != nil {
		return fmt.Errorf("--steps %d / --sampler %q / --ddim %v with a %d-step model: %w", f.steps, f.sampler, f.ddim, g.DiffusionSteps(), err)
	}
	if f.traceHTML != "" && opt.TraceEvery == 0 {
		opt.TraceEvery = max(1, steps/20) // about 20 rows
	}

	var traced []generate.TraceItem
	if f.fromStdin && interactiveStdin() {
		if traced, err = runInteractive(g, f, opt, stdout, stderr); err != nil {
			return err
		}
		return writeTraceHTML(g, f, traced, stderr)
	}

	var rows []generate.Row
	var lines []int // 1-based input line of each row
	var source string
	if f.fromStdin {
		srcs, err := readSourceLines(sampleStdin)
		if err != nil {
			return err
		}
		rows, source = g.Rows(srcs), "stdin"
		for i := range srcs {
			lines = append(lines, i+1)
		}
	} else {
		if rows, lines, source, err = sampleSplitRows(g, f); err != nil {
			return err
		}
	}
	if f.limit > 0 && len(rows) > f.limit {
		rows, lines = rows[:f.limit], lines[:f.limit]
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: nothing to decode", source)
	}
	outDir := f.out
	if outDir == "" && !f.fromStdin {
		outDir = sampleOutDir(f)
	}
	// An interrupt or SIGTERM stops the decode before its next reverse
	// step; a split decode keeps what its finished batches saved.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var weightsDigest, inputDigest string // what a saved split decode must match
	if !f.fromStdin {
		weightsDigest, inputDigest = g.WeightsDigest(), rowsDigest(rows)
	}
	for k, seed := range f.seeds {
		opt.Seed = seed
		label := fmt.Sprintf("seed %d", seed)
		var res []generate.Result
		if f.fromStdin {
			progress := stderr
			if f.asJSON {
				progress = io.Discard
			}
			if res, err = sampleSeed(ctx, g, rows, opt, newSampleProgress(progress, label, 0)); err != nil {
				if ctx.Err() != nil {
					return fmt.Errorf("%s: interrupted; the outputs of this seed are not printed", label)
				}
				return err
			}
			if err := printStdinResults(stdout, g, res, lines, seed, len(f.seeds) > 1, f.asJSON); err != nil {
				return err
			}
		} else {
			settings := sampleSettings{Weights: weightsDigest, Input: inputDigest, Rows: len(rows), Seed: seed,
				BatchSize: f.bsz, Sampler: samplerName(opt), Steps: steps, ClampStep: opt.ClampStep, TopP: opt.TopP, DenoiseRate: opt.DenoiseRate}
			d := newSeedDecode(outDir, seed, opt, steps, lines, settings)
			if res, err = d.run(ctx, g, rows, stderr, label); err != nil {
				return err
			}
			paths, err := writeSeedFiles(outDir, f.clampStep, seed, res, lines, opt, steps)
			if err != nil {
				return err
			}
			if err := d.clear(); err != nil {
				return err
			}
			pieces := ""
			if d.saved.Pieces > 1 {
				pieces = fmt.Sprintf(" over %d runs", d.saved.Pieces)
			}
			fmt.Fprintf(stderr, "seed %d: %d sentences in %.0f s of decoding%s, %.3f sentences/s -> %s\n",
				seed, len(res), d.saved.Seconds, pieces, float64(len(res))/d.saved.Seconds, strings.Join(paths, ", "))
		}
		if f.trace > 0 {
			w := stdout
			if f.fromStdin {
				w = stderr
			}
			if err := printTraces(w, g, res, seed); err != nil {
				return err
			}
		}
		if k == 0 && f.traceHTML != "" {
			for _, r := range res[:min(len(res), maxHTMLSentences)] {
				traced = append(traced, generate.TraceItemOf(r))
			}
		}
	}
	return writeTraceHTML(g, f, traced, stderr)
}

// writeTraceHTML writes --trace-html, if asked for.
func writeTraceHTML(g *generate.Generator, f *sampleFlags, traced []generate.TraceItem, stderr io.Writer) error {
	if f.traceHTML == "" {
		return nil
	}
	title := fmt.Sprintf("DiffuSeq denoising trace: %s, seed %d", filepath.Base(f.model), f.seeds[0])
	if err := sampleWriteAtomic(f.traceHTML, func(w io.Writer) error {
		return generate.WriteTraceHTML(w, g.Tokenizer(), title, traced)
	}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "trace: %s\n", f.traceHTML)
	return nil
}

// sampleSeed decodes rows with one seed (or the rest of them, with
// opt.Resume), printing progress.
func sampleSeed(ctx context.Context, g *generate.Generator, rows []generate.Row, opt generate.Options, p *sampleProgress) ([]generate.Result, error) {
	opt.Progress = p.update
	res, err := g.GenerateRows(ctx, rows, opt)
	p.finish()
	return res, err
}

// sampleSplitRows loads --split (valid/test from the data folder, or a file)
// as data.Join rows, with their file lines.
func sampleSplitRows(g *generate.Generator, f *sampleFlags) ([]generate.Row, []int, string, error) {
	path := f.split
	if f.split == "valid" || f.split == "test" || f.split == "train" {
		dir := f.data
		if dir == "" {
			dir = g.DataDir()
		}
		if dir == "" {
			return nil, nil, "", fmt.Errorf("--split %s: the model records no data_dir; pass --data DIR or --split FILE.jsonl", f.split)
		}
		var err error
		if path, err = data.SplitFile(dir, f.split); err != nil {
			return nil, nil, "", err
		}
	} else if !strings.HasSuffix(f.split, ".jsonl") {
		return nil, nil, "", fmt.Errorf("--split %q: want valid, test or a FILE.jsonl", f.split)
	}
	ds, err := data.Load(path, g.Tokenizer(), data.Options{SeqLen: g.SeqLen()})
	if err != nil {
		return nil, nil, "", fmt.Errorf("--split: %w", err)
	}
	defer ds.Close()
	rows, err := generate.DatasetRows(ds)
	if err != nil {
		return nil, nil, "", err
	}
	lines := make([]int, ds.Len())
	for i := range lines {
		lines[i] = ds.Line(i)
	}
	return rows, lines, path, nil
}

// sampleOutDir is generation_outputs/RUN/SPLIT, with the sampler when it
// is not the full ancestral loop (so an eval --folder never mixes them).
func sampleOutDir(f *sampleFlags) string {
	run := strings.TrimSuffix(filepath.Base(filepath.Clean(f.model)), ".safetensors")
	split := strings.TrimSuffix(filepath.Base(f.split), ".jsonl")
	switch {
	case f.sampler != "":
		split += "_" + f.sampler
		if f.steps > 0 {
			split += strconv.Itoa(f.steps)
		}
	case f.ddim:
		split += fmt.Sprintf("_ddim%d", f.steps)
	case f.steps > 0:
		split += fmt.Sprintf("_steps%d", f.steps)
	}
	if f.weights != "ema" {
		split += "_" + f.weights
	}
	return filepath.Join("generation_outputs", run, split)
}
