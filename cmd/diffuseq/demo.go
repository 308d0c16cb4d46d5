package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/diffuseq-go/diffuseq/asm"
	"github.com/diffuseq-go/diffuseq/generate"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
	"github.com/diffuseq-go/diffuseq/internal/progress"
	"github.com/diffuseq-go/diffuseq/metrics"
	"github.com/diffuseq-go/diffuseq/synth"
	"github.com/diffuseq-go/diffuseq/text"
	"github.com/diffuseq-go/diffuseq/train"
)

func init() {
	register(command{name: "demo", summary: "the built-in example: make a task, train a tiny model, sample with a trace, evaluate", run: runDemo})
}

// The demo's recipe: a tiny model on the synthetic paraphrase task
// (package synth), sized to train in a few minutes on two cores.
func demoConfig(dataDir string, steps int) train.Config {
	c := train.DefaultConfig()
	c.DataDir, c.Model = dataDir, "tiny"
	c.HiddenSize, c.Layers, c.Heads, c.Intermediate = 128, 2, 2, 512
	c.HiddenDim, c.HiddenTDim, c.SeqLen = 32, 32, 32
	c.DiffSteps, c.NoiseSchedule, c.ScheduleSampler = 1000, "sqrt", "lossaware"
	c.Bsz, c.Microbatch, c.LR, c.LearningSteps = 64, 64, 2e-3, steps
	c.EMARate, c.Dropout, c.Seed = "0.99", 0.1, 102
	c.LogInterval, c.EvalInterval, c.SaveInterval = 20, 100, 200
	return c
}

func runDemo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	out := fs.String("out", "", "run folder (default runs/demo-YYYYMMDD-HHMMSS)")
	steps := fs.Int("steps", 600, "training updates")
	sampleSteps := fs.Int("sample-steps", 100, "reverse steps when sampling (respaced ancestral sampler; the model trains with 1000)")
	nTest := fs.Int("n", 100, "test sentences to decode and score")
	threads := fs.Int("threads", 0, "worker threads (0: all cores)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *threads > 0 {
		parallel.SetThreads(*threads)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", "demo-"+time.Now().Format("20060102-150405"))
	}
	if _, err := os.Stat(filepath.Join(dir, train.CheckpointFile)); err == nil {
		return fmt.Errorf("%s already holds a run; choose another --out", dir)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// 1. The task: no files, no network.
	dataDir := filepath.Join(dir, "data")
	corpus, err := synth.Generate(synth.DefaultConfig())
	if err != nil {
		return err
	}
	if err := corpus.WriteDir(dataDir); err != nil {
		return err
	}
	ex := corpus.Test[0]
	fmt.Fprintf(stdout, "1. task: active → passive paraphrase with synonyms, %d training pairs in %s\n   e.g. %q → %q\n",
		len(corpus.Train), dataDir, ex.Src, ex.Trg)

	// 2. Train.
	cfg := demoConfig(dataDir, *steps)
	tr, _, vocabMode, err := newRun(cfg, dir, io.Discard)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "2. training a %d-parameter model for %d updates (kernels=%s threads=%d)\n",
		tr.Model.Params().Count(), cfg.LearningSteps, asm.Impl(), parallel.Threads())
	t0 := time.Now()
	err = tr.Run(ctx, train.RunOptions{Dir: dir, VocabMode: vocabMode, Out: stderr, Terminal: progress.IsTerminal(stderr)})
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(stdout, "interrupted; the run so far is in %s (continue with: diffuseq train --resume %s)\n", dir, dir)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "   done in %s; loss curve %s\n", progress.Duration(time.Since(t0)), filepath.Join(dir, train.PlotFile))

	// 3. Sample, with a trace of the first sentences.
	g, err := generate.Load(dir, generate.LoadOptions{Weights: "live"})
	if err != nil {
		return err
	}
	test := corpus.Test[:min(*nTest, len(corpus.Test))]
	srcs := make([]string, len(test))
	for i, e := range test {
		srcs[i] = e.Src
	}
	fmt.Fprintf(stdout, "3. sampling %d test sentences with %d reverse steps\n", len(srcs), *sampleSteps)
	t0 = time.Now()
	res, err := g.Generate(ctx, srcs, generate.Options{Steps: *sampleSteps, Seed: 123, TraceEvery: max(1, *sampleSteps/10)})
	if err != nil {
		return err
	}
	rate := float64(len(srcs)) / time.Since(t0).Seconds()
	var items []generate.TraceItem
	for i := 0; i < min(2, len(res)); i++ {
		items = append(items, generate.TraceItemOf(res[i]))
		if err := generate.RenderTrace(stdout, g.Tokenizer(), items[i]); err != nil {
			return err
		}
	}
	tracePath := filepath.Join(dir, "trace.html")
	if err := writeTrace(tracePath, g.Tokenizer(), items); err != nil {
		return err
	}

	// 4. Evaluate.
	outs := make([]string, len(res))
	var bleu []float64
	for i, r := range res {
		outs[i] = synth.Clean(r.Text)
		bleu = append(bleu, metrics.BLEU(outs[i], test[i].Trg))
	}
	exact, words, err := synth.Accuracy(srcs, outs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "4. results on %d test sentences (%.1f sentences/s):\n", len(srcs), rate)
	fmt.Fprintf(stdout, "   correct paraphrases %5.1f%%   (any of the 32 valid targets)\n", 100*exact)
	fmt.Fprintf(stdout, "   correct words       %5.1f%%\n", 100*words)
	fmt.Fprintf(stdout, "   sentence BLEU       %6.3f    (against one reference; low even for correct paraphrases)\n", metrics.Mean(bleu))
	for i := 0; i < min(5, len(res)); i++ {
		fmt.Fprintf(stdout, "   %s\n     → %s\n", srcs[i], outs[i])
	}
	fmt.Fprintf(stdout, "\nrun folder: %s (checkpoint, log.csv, loss.svg, trace.html)\n", dir)
	fmt.Fprintf(stdout, "next: diffuseq sample --model %s --weights live --split test --trace 10\n", dir)
	return nil
}

func writeTrace(path string, tok text.Tokenizer, items []generate.TraceItem) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := generate.WriteTraceHTML(f, tok, "DiffuSeq demo: a sentence emerging from noise", items); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
