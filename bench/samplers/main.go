// Command samplers is the sampler benchmark of docs/benchmarks.md
// ("Samplers"): it decodes the first rows of a split with a trained run
// under several (sampler, steps) settings and writes, per setting, a
// reference-format file DIR/<sampler>_<steps>/seed<S>.json for
// `diffuseq eval` plus the decoding rate in DIR/timing.tsv. A second mode
// trains a tiny DiffuSeq-v2 run (train.V2Trainer) and writes its mean_embed
// sidecar; `diffuseq train --learned_mean_embed --denoise` trains v2 runs
// too. bench/samplers.sh drives both.
//
//	go run ./bench/samplers decode --run RUN --split valid.jsonl --out DIR \
//	    --grid reference:0,ancestral:10,ddim:10,dpm-solver++:10 [--mean-embed FILE]
//	go run ./bench/samplers train-v2 --data DIR --vocab vocab.txt --out RUN [flags]
//	go run ./bench/samplers table --out DIR [--full FILE --full-rate R]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/generate"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
	"github.com/diffuseq-go/diffuseq/tensor"
	"github.com/diffuseq-go/diffuseq/text"
	"github.com/diffuseq-go/diffuseq/train"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: samplers decode|train-v2|table [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "decode":
		err = decode(os.Args[2:])
	case "train-v2":
		err = trainV2(os.Args[2:])
	case "table":
		err = table(os.Args[2:], os.Stdout)
	default:
		err = fmt.Errorf("unknown mode %q (want decode, train-v2 or table)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "samplers:", err)
		os.Exit(1)
	}
}

// setting is one (sampler, steps) entry of --grid.
type setting struct {
	s     diffuseq.Sampler
	steps int
}

func (s setting) name() string {
	n := string(s.s)
	if n == "" {
		n = "reference"
	}
	return fmt.Sprintf("%s_%d", n, s.steps)
}

// parseGrid reads "sampler:steps,…"; the sampler "reference" is the
// reference decoder (steps 0 = all K).
func parseGrid(g string) ([]setting, error) {
	var out []setting
	for f := range strings.SplitSeq(g, ",") {
		name, n, ok := strings.Cut(strings.TrimSpace(f), ":")
		steps, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("--grid entry %q: want sampler:steps", f)
		}
		if name == "reference" {
			name = ""
		}
		s, err := diffuseq.ParseSampler(name)
		if err != nil {
			return nil, fmt.Errorf("--grid entry %q: %v", f, err)
		}
		out = append(out, setting{s, steps})
	}
	return out, nil
}

func decode(args []string) error {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	run := fs.String("run", "", "run folder or checkpoint file")
	weights := fs.String("weights", "ema", "ema, ema_RATE or live")
	split := fs.String("split", "", "jsonl file to decode")
	limit := fs.Int("limit", 100, "decode the first N rows")
	bsz := fs.Int("bsz", 50, "batch size")
	seed := fs.Uint64("seed", 101, "RNG seed")
	grid := fs.String("grid", "reference:0,ancestral:10,ddim:10,dpm-solver++:10", "sampler:steps,…")
	meanEmbed := fs.String("mean-embed", "", "v2 sidecar file (mean_embed.safetensors); empty: the model's own mean_embed (runs of diffuseq train), else v1")
	meanKey := fs.String("mean-embed-key", "", "key in the sidecar (default: ema_RATE.mean_embed of --weights, or mean_embed)")
	denoiseRate := fs.Float64("denoise-rate", 0, "v2 sampling-time discrete noise λ for the ancestral samplers (0 = off; the reference takes the run's denoise_rate)")
	diffSteps := fs.Int("diff-steps", 2000, "trained diffusion steps K")
	out := fs.String("out", "", "output folder")
	threads := fs.Int("threads", 0, "worker threads (0: all cores)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *run == "" || *split == "" || *out == "" {
		return fmt.Errorf("decode needs --run, --split and --out")
	}
	if *threads > 0 {
		parallel.SetThreads(*threads)
	}
	settings, err := parseGrid(*grid)
	if err != nil {
		return err
	}
	m, tok, err := loadWeights(*run, *weights)
	if err != nil {
		return err
	}
	if tok == nil {
		return fmt.Errorf("%s: no vocabulary in the checkpoint", *run)
	}
	var me []float32
	if *meanEmbed != "" {
		key := *meanKey
		if key == "" {
			key = train.MeanEmbedName
			if rate, ok := strings.CutPrefix(*weights, "ema_"); ok {
				key = "ema_" + rate + "." + train.MeanEmbedName
			} else if *weights == "ema" {
				key = "" // the sidecar's first EMA
			}
		}
		if key == "" {
			if key, err = firstEMAKey(*meanEmbed); err != nil {
				return err
			}
		}
		if me, err = train.LoadMeanEmbed(*meanEmbed, key); err != nil {
			return err
		}
	}
	if me == nil && m.MeanEmbed != nil {
		// A run trained by `diffuseq train --learned_mean_embed`: the
		// model owns m, loaded with the chosen weights.
		me = m.MeanEmbed.Data()
	}
	dc := diffuseq.DefaultConfig()
	dc.DiffusionSteps = *diffSteps
	d, err := diffuseq.New(dc)
	if err != nil {
		return err
	}
	ds, err := data.Load(*split, tok, data.Options{SeqLen: m.Config.SeqLen})
	if err != nil {
		return err
	}
	n := min(*limit, ds.Len())
	l := m.Config.SeqLen
	ids, mask := make([]int, n*l), make([]int, n*l)
	for i := range n {
		if err := ds.Row(i, ids[i*l:(i+1)*l], mask[i*l:(i+1)*l]); err != nil {
			return err
		}
	}
	emb := tensor.FromSlice(m.Params().Get("word_embedding.weight").Data(), m.Config.VocabSize, m.Config.HiddenDim)
	bias := m.Params().Get("lm_head.bias")
	if bias == nil {
		return fmt.Errorf("%s: no lm_head.bias", *run)
	}
	den := generate.NewDenoiser(m)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	timing, err := os.OpenFile(filepath.Join(*out, "timing.tsv"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer timing.Close()
	for _, st := range settings {
		rng := tensor.NewRNG(*seed)
		tokens := make([]int, 0, n*l)
		start := time.Now()
		for lo := 0; lo < n; lo += *bsz {
			hi := min(lo+*bsz, n)
			in := diffuseq.DecodeInputs{InputIDs: ids[lo*l : hi*l], Mask: mask[lo*l : hi*l], B: hi - lo, L: l,
				Emb: emb, Bias: bias.Value, Noise: rng, MeanEmbed: me, DenoiseRate: *denoiseRate}
			if st.s == diffuseq.SamplerReference {
				in.Step = st.steps
			} else {
				in.Sampler, in.Steps = st.s, st.steps
			}
			tk, _, err := d.Decode(den, in)
			if err != nil {
				return fmt.Errorf("%s: %v", st.name(), err)
			}
			tokens = append(tokens, tk...)
		}
		secs := time.Since(start).Seconds()
		if err := writeOutputs(filepath.Join(*out, st.name()), *seed, tok, ids, mask, tokens, n, l); err != nil {
			return err
		}
		fmt.Fprintf(timing, "%s\t%d\t%.3f\t%.3f\n", st.name(), n, secs, float64(n)/secs)
		fmt.Printf("%-24s %d sentences in %.1f s (%.2f sentences/s)\n", st.name(), n, secs, float64(n)/secs)
	}
	return nil
}

// writeOutputs writes DIR/seedS.json, one {"recover","reference","source"}
// per row as the reference's decoder (3.11): len_x = L − Σ mask.
func writeOutputs(dir string, seed uint64, tok text.Tokenizer, ids, mask, tokens []int, n, l int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var b strings.Builder
	for i := range n {
		lenX := l
		for _, mk := range mask[i*l : (i+1)*l] {
			lenX -= mk
		}
		row, out := ids[i*l:(i+1)*l], tokens[i*l:(i+1)*l]
		line, err := json.Marshal(map[string]string{
			"recover": tok.Decode(out[lenX:]), "reference": tok.Decode(row[lenX:]), "source": tok.Decode(row[:lenX]),
		})
		if err != nil {
			return err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%d.json", seed)), []byte(b.String()), 0o644)
}
