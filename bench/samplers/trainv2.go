package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
	"github.com/diffuseq-go/diffuseq/text"
	"github.com/diffuseq-go/diffuseq/train"
)

// trainV2 trains a DiffuSeq-v2 run with train.V2Trainer and writes the
// model checkpoint (Trainer.Save, readable by `diffuseq sample` for the
// network) plus the mean_embed sidecar DIR/mean_embed.safetensors.
func trainV2(args []string) error {
	fs := flag.NewFlagSet("train-v2", flag.ContinueOnError)
	cfg := train.DefaultConfig()
	o := train.PublishedV2Options()
	fs.StringVar(&cfg.DataDir, "data", "", "data folder with train.jsonl and valid.jsonl")
	vocab := fs.String("vocab", "", "vocab.txt (a word vocabulary, e.g. from a v1 run folder)")
	out := fs.String("out", "", "run folder to create")
	fs.StringVar(&cfg.Model, "model", "tiny", "model preset")
	fs.IntVar(&cfg.SeqLen, "seq_len", 32, "sequence length")
	fs.IntVar(&cfg.HiddenDim, "hidden_dim", 128, "word-embedding width d")
	fs.IntVar(&cfg.HiddenTDim, "hidden_t_dim", 128, "time-embedding width")
	fs.IntVar(&cfg.Bsz, "bsz", 16, "batch size")
	fs.IntVar(&cfg.Microbatch, "microbatch", 16, "microbatch size")
	fs.IntVar(&cfg.LearningSteps, "learning_steps", 1500, "updates")
	fs.Float64Var(&cfg.LR, "lr", 1e-3, "learning rate")
	fs.StringVar(&cfg.EMARate, "ema_rate", "0.99", "EMA rate")
	fs.Uint64Var(&cfg.Seed, "seed", 102, "seed")
	fs.BoolVar(&o.LearnedMeanEmbed, "learned_mean_embed", o.LearnedMeanEmbed, "learn the soft absorbing state")
	fs.BoolVar(&o.Denoise, "denoise", o.Denoise, "discrete noise")
	fs.Float64Var(&o.DenoiseRate, "denoise_rate", o.DenoiseRate, "discrete-noise rate λ")
	fs.Float64Var(&o.RegRate, "reg_rate", o.RegRate, "weight of ‖mean_embed‖₂")
	threads := fs.Int("threads", 0, "worker threads (0: all cores)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.DataDir == "" || *vocab == "" || *out == "" {
		return fmt.Errorf("train-v2 needs --data, --vocab and --out")
	}
	if *threads > 0 {
		parallel.SetThreads(*threads)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := copyFile(*vocab, filepath.Join(*out, "vocab.txt")); err != nil {
		return err
	}
	tok, err := text.Load(filepath.Join(*out, "vocab.txt"))
	if err != nil {
		return err
	}
	v, err := train.NewV2(cfg, o, tok)
	if err != nil {
		return err
	}
	start := time.Now()
	var sum float64
	var cnt int
	for !v.Done() {
		res, err := v.Step()
		if err != nil {
			return err
		}
		for _, l := range res.Loss {
			sum += l
			cnt++
		}
		if (res.Update+1)%50 == 0 {
			fmt.Printf("step %d/%d loss %.4f %.2f steps/s\n", res.Update+1, cfg.LearningSteps, sum/float64(cnt), float64(res.Update+1)/time.Since(start).Seconds())
			sum, cnt = 0, 0
		}
	}
	if err := v.Save(*out, "vocab.txt"); err != nil {
		return err
	}
	return v.SaveMeanEmbed(filepath.Join(*out, "mean_embed.safetensors"))
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
