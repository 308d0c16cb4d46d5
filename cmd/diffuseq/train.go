package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/diffuseq-go/diffuseq/asm"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
	"github.com/diffuseq-go/diffuseq/internal/progress"
	"github.com/diffuseq-go/diffuseq/text"
	"github.com/diffuseq-go/diffuseq/train"
)

func init() {
	register(command{name: "train", summary: "train a DiffuSeq model on a jsonl data folder (or --resume a run)", run: runTrain})
}

// trainFlags binds the reference's option names (reference 4.1) to cfg.
func trainFlags(stderr io.Writer, cfg *train.Config) (*flag.FlagSet, *trainCLI) {
	fs := newFlags("train", stderr)
	cli := &trainCLI{}
	fs.StringVar(&cli.config, "config", "", "JSON file of options (the names below); flags given on the command line override it")
	fs.StringVar(&cli.out, "out", "", "run folder to create (default runs/<data>-<model>-seed<seed>)")
	fs.StringVar(&cli.resume, "resume", "", "run folder to continue exactly where it stopped")
	fs.IntVar(&cli.threads, "threads", 0, "worker threads (0: all cores)")
	fs.IntVar(&cli.stopAfter, "stop-after", 0, "stop (with a checkpoint) after this many updates in total, keeping learning_steps' lr schedule (0: run to learning_steps)")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data folder with train.jsonl and valid.jsonl")
	fs.StringVar(&cfg.DataDir, "data_dir", cfg.DataDir, "same as --data (the reference's name)")
	fs.BoolVar(&cfg.SkipBad, "skip-bad", cfg.SkipBad, "skip and count bad jsonl lines instead of stopping at the first")
	fs.StringVar(&cfg.Vocab, "vocab", cfg.Vocab, "custom vocab file, bert:PATH/vocab.txt, or empty to build a word vocab from train.jsonl")
	fs.StringVar(&cfg.Model, "model", cfg.Model, "model size preset: tiny, small or base")
	fs.IntVar(&cfg.HiddenSize, "hidden_size", cfg.HiddenSize, "transformer width (0: preset)")
	fs.IntVar(&cfg.Layers, "num_hidden_layers", cfg.Layers, "encoder layers (0: preset)")
	fs.IntVar(&cfg.Heads, "num_attention_heads", cfg.Heads, "attention heads (0: preset)")
	fs.IntVar(&cfg.Intermediate, "intermediate_size", cfg.Intermediate, "FFN width (0: preset)")
	fs.IntVar(&cfg.DiffSteps, "diff_steps", cfg.DiffSteps, "diffusion steps T")
	fs.StringVar(&cfg.NoiseSchedule, "noise_schedule", cfg.NoiseSchedule, "noise schedule: sqrt, linear, cosine, ...")
	fs.StringVar(&cfg.ScheduleSampler, "schedule_sampler", cfg.ScheduleSampler, "timestep sampler: lossaware, uniform or fixstep")
	fs.IntVar(&cfg.SeqLen, "seq_len", cfg.SeqLen, "sequence length (source + target)")
	fs.IntVar(&cfg.HiddenDim, "hidden_dim", cfg.HiddenDim, "word-embedding width d")
	fs.IntVar(&cfg.HiddenTDim, "hidden_t_dim", cfg.HiddenTDim, "time-embedding width")
	fs.IntVar(&cfg.Bsz, "bsz", cfg.Bsz, "batch size per update")
	fs.IntVar(&cfg.Microbatch, "microbatch", cfg.Microbatch, "microbatch size (gradients are summed over microbatches)")
	fs.Float64Var(&cfg.LR, "lr", cfg.LR, "learning rate (linearly decayed to 0 at learning_steps)")
	fs.IntVar(&cfg.LearningSteps, "learning_steps", cfg.LearningSteps, "number of updates")
	fs.StringVar(&cfg.EMARate, "ema_rate", cfg.EMARate, "EMA rate(s), comma-separated")
	fs.Float64Var(&cfg.Dropout, "dropout", cfg.Dropout, "dropout probability")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.StringVar(&cfg.Init, "init", cfg.Init, "stream of the initial weights: native (this program's RNG) or torch (the official train.py's PyTorch stream for --seed: the same starting weights)")
	fs.IntVar(&cfg.SaveInterval, "save_interval", cfg.SaveInterval, "updates between checkpoints")
	fs.IntVar(&cfg.LogInterval, "log_interval", cfg.LogInterval, "updates between log rows")
	fs.IntVar(&cfg.EvalInterval, "eval_interval", cfg.EvalInterval, "updates between validation batches")
	fs.Float64Var(&cfg.GradientClipping, "gradient_clipping", cfg.GradientClipping, "clip the global gradient norm to this (≤ 0: off)")
	fs.Float64Var(&cfg.WeightDecay, "weight_decay", cfg.WeightDecay, "AdamW weight decay")
	fs.BoolVar(&cfg.LearnedMeanEmbed, "learned_mean_embed", cfg.LearnedMeanEmbed, "DiffuSeq-v2: learn the soft absorbing state the forward process drifts to")
	fs.BoolVar(&cfg.Denoise, "denoise", cfg.Denoise, "DiffuSeq-v2: discrete noise in training (needs --learned_mean_embed)")
	fs.Float64Var(&cfg.DenoiseRate, "denoise_rate", cfg.DenoiseRate, "DiffuSeq-v2: λ of the discrete noise (a target token becomes the absorbing state with probability λ·√(1−ᾱ_t))")
	fs.Float64Var(&cfg.RegRate, "reg_rate", cfg.RegRate, "DiffuSeq-v2: weight of the ‖mean_embed‖ regulariser")
	return fs, cli
}

type trainCLI struct {
	config, out, resume string
	threads, stopAfter  int
}

func runTrain(args []string, stdout, stderr io.Writer) error {
	cfg := train.DefaultConfig()
	fs, cli := trainFlags(stderr, &cfg)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cli.config != "" {
		// Re-parse over the file's values so explicit flags win.
		fileCfg, err := train.LoadConfigFile(cli.config, train.DefaultConfig())
		if err != nil {
			return err
		}
		cfg = fileCfg
		fs, cli = trainFlags(io.Discard, &cfg)
		if err := fs.Parse(args); err != nil {
			return err
		}
	}
	if cli.threads > 0 {
		parallel.SetThreads(cli.threads)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var (
		tr        *train.Trainer
		dir       = cli.out
		vocabMode string
		err       error
	)
	if cli.resume != "" {
		dir = cli.resume
		var dataDir string
		if explicitlySet(fs, "data", "data_dir") {
			dataDir = cfg.DataDir
		}
		if tr, vocabMode, err = train.Resume(dir, dataDir); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "resuming %s at update %d of %d\n", dir, tr.StepCount(), tr.Cfg.LearningSteps)
	} else {
		if tr, dir, vocabMode, err = newRun(cfg, dir, stdout); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "kernels=%s threads=%d model=%s (%d parameters) data=%s run=%s\n",
		asm.Impl(), parallel.Threads(), tr.Cfg.Model, tr.Model.Params().Count(), tr.Cfg.DataDir, dir)
	if nt, nv := tr.Skipped(); nt+nv > 0 {
		fmt.Fprintf(stdout, "skipped bad lines: %d in train.jsonl, %d in valid.jsonl\n", nt, nv)
	}
	err = tr.Run(ctx, train.RunOptions{Dir: dir, VocabMode: vocabMode, Out: stderr, Terminal: progress.IsTerminal(stderr), StopAfter: cli.stopAfter})
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(stdout, "stopped at update %d; checkpoint saved. Continue with: diffuseq train --resume %s\n", tr.StepCount(), dir)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "done: %d updates; run folder %s (checkpoint, log.csv, loss.svg)\n", tr.StepCount(), dir)
	return nil
}

func explicitlySet(fs *flag.FlagSet, names ...string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		for _, n := range names {
			if f.Name == n {
				set = true
			}
		}
	})
	return set
}

// newRun creates the run folder: the vocabulary (copied, or built from
// train.jsonl), training_args.json, and a freshly initialised trainer.
func newRun(cfg train.Config, dir string, stdout io.Writer) (*train.Trainer, string, string, error) {
	if cfg.DataDir == "" {
		return nil, "", "", errors.New("--data is required (a folder with train.jsonl and valid.jsonl)")
	}
	for _, f := range []string{"train.jsonl", "valid.jsonl"} {
		if _, err := os.Stat(filepath.Join(cfg.DataDir, f)); err != nil {
			return nil, "", "", fmt.Errorf("data folder %s: %v", cfg.DataDir, err)
		}
	}
	// Store the data folder absolute, so sampling from the run works from
	// any directory (a moved run takes --data on resume).
	if abs, err := filepath.Abs(cfg.DataDir); err == nil {
		cfg.DataDir = abs
	}
	if dir == "" {
		dir = filepath.Join("runs", fmt.Sprintf("%s-%s-seed%d", filepath.Base(filepath.Clean(cfg.DataDir)), cfg.Model, cfg.Seed))
	}
	if _, err := os.Stat(filepath.Join(dir, train.CheckpointFile)); err == nil {
		return nil, "", "", fmt.Errorf("%s already holds a run: continue it with --resume %s, or choose another --out", dir, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", "", err
	}
	vocabMode, err := installVocab(cfg.Vocab, cfg.DataDir, dir, cfg.SkipBad, stdout)
	if err != nil {
		return nil, "", "", err
	}
	tok, err := text.Load(train.ResolveVocab(dir, vocabMode))
	if err != nil {
		return nil, "", "", err
	}
	tr, err := train.New(cfg, tok)
	if err != nil {
		return nil, "", "", err
	}
	args, _ := jsonIndent(cfg)
	if err := os.WriteFile(filepath.Join(dir, train.ArgsFile), args, 0o644); err != nil {
		return nil, "", "", err
	}
	return tr, dir, vocabMode, nil
}

// installVocab puts the vocabulary into the run folder and returns how to
// load it from there ("vocab.txt" or "bert:vocab.txt").
func installVocab(vocab, dataDir, dir string, skipBad bool, stdout io.Writer) (string, error) {
	dst := filepath.Join(dir, train.VocabFile)
	switch {
	case vocab == "":
		counts, lines, _, err := countTokens(filepath.Join(dataDir, "train.jsonl"), vocabBuildFlags{skipBad: skipBad}, io.Discard)
		if err != nil {
			return "", err
		}
		words := text.WordVocab(counts, 1)
		if err := writeLines(dst, words); err != nil {
			return "", err
		}
		fmt.Fprintf(stdout, "built a word vocabulary of %d tokens from %d examples\n", len(words), lines)
		return train.VocabFile, nil
	case strings.HasPrefix(vocab, "bert:") || strings.HasPrefix(vocab, "bert-cased:"):
		i := strings.Index(vocab, ":")
		if err := copyFileTo(vocab[i+1:], dst); err != nil {
			return "", err
		}
		return vocab[:i+1] + train.VocabFile, nil
	default:
		if err := copyFileTo(vocab, dst); err != nil {
			return "", err
		}
		return train.VocabFile, nil
	}
}

func copyFileTo(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("vocabulary: %v", err)
	}
	return os.WriteFile(dst, b, 0o644)
}
