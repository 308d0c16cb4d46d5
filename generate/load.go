package generate

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/tensor"
	"github.com/diffuseq-go/diffuseq/text"
	"github.com/diffuseq-go/diffuseq/train"
)

// LoadOptions choose what Load reads.
type LoadOptions struct {
	// Weights selects the parameter set of a training checkpoint: "ema"
	// (default: the first EMA rate), "ema_0.9999" (one rate) or "live".
	// Imported files hold one set and ignore it.
	Weights string
	// Vocab is a text.Load value (PATH, bert:PATH, ...). Required for a
	// file from `diffuseq import`, which carries no vocabulary; for a run
	// folder it replaces the run's own vocab.txt.
	Vocab string
	// DiffusionSteps and NoiseSchedule override the process read from the
	// run (0 / "" = keep). Use them for an imported file whose run did not
	// use the paper's 2000-step sqrt schedule.
	DiffusionSteps int
	NoiseSchedule  string
	// MeanEmbed is the mean_embed sidecar of a DiffuSeq-v2 run
	// (MeanEmbedFile); "" looks for it next to the checkpoint, and without
	// one the model is decoded as v1.
	MeanEmbed string
}

// Generator holds a loaded model and its diffusion, ready to decode.
type Generator struct {
	model     *model.TransformerNetModel
	tok       text.Tokenizer
	diffusion *diffuseq.Diffusion // the trained process (K steps, rescaled timesteps)
	dataDir   string
	// trainedDenoiseRate is the run's denoise_rate when it trained a v2
	// model with discrete noise, else 0.
	trainedDenoiseRate float64

	meanEmbed []float32         // (d) DiffuSeq-v2's absorbing state m, nil for v1
	emb, bias *tensor.Tensor    // (V, d), (V): E and the lm_head bias, read-only
	rounder   *diffuseq.Rounder // frozen copy of E for rounding (reference 3.8)
	tapes     sync.Pool         // *autograd.Tape, one per running batch
}

// runSettings are the training-run fields sampling needs.
type runSettings struct {
	DiffSteps     int    `json:"diff_steps"`
	NoiseSchedule string `json:"noise_schedule"`
	DataDir       string `json:"data_dir"`
	// Denoise and DenoiseRate are v2's discrete-noise settings; the
	// reference's v2 decoder takes them from the run (reference 6.6).
	Denoise     bool    `json:"denoise"`
	DenoiseRate float64 `json:"denoise_rate"`
	trainConfig string  // the raw JSON, for the EMA rate order
}

// Load reads a run folder (checkpoint.safetensors, training_args.json,
// vocab.txt), a training checkpoint file, or a file written by `diffuseq
// import`. The diffusion (diff_steps, noise_schedule) comes from the
// checkpoint's "train_config" metadata, else from training_args.json next
// to it, else it is the paper's 2000-step sqrt schedule (imported files).
func Load(path string, opts LoadOptions) (*Generator, error) {
	if opts.Weights == "" {
		opts.Weights = "ema"
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	file, dir := path, filepath.Dir(path)
	if st.IsDir() {
		file, dir = filepath.Join(path, train.CheckpointFile), path
		if _, err := os.Stat(file); err != nil {
			return nil, fmt.Errorf("model %s: not a run folder (no %s): %w", path, train.CheckpointFile, err)
		}
	}
	m, tok, err := loadWeights(file, opts.Weights)
	if err != nil {
		return nil, err
	}
	if opts.Vocab != "" {
		if tok, err = text.Load(opts.Vocab); err != nil {
			return nil, fmt.Errorf("vocab %s: %w", opts.Vocab, err)
		}
	}
	if tok == nil {
		return nil, fmt.Errorf("%s holds no vocabulary (an imported checkpoint?): pass the vocabulary the model was trained with (--vocab)", file)
	}
	run, err := readRunSettings(file, dir)
	if err != nil {
		return nil, err
	}
	cfg := diffuseq.DefaultConfig()
	if run.DiffSteps > 0 {
		cfg.DiffusionSteps = run.DiffSteps
	}
	if run.NoiseSchedule != "" {
		cfg.NoiseSchedule = run.NoiseSchedule
	}
	if opts.DiffusionSteps > 0 {
		cfg.DiffusionSteps = opts.DiffusionSteps
	}
	if opts.NoiseSchedule != "" {
		cfg.NoiseSchedule = opts.NoiseSchedule
	}
	meanEmbed, err := loadMeanEmbed(opts.MeanEmbed, dir, opts.Weights, run.trainConfig)
	if err != nil {
		return nil, err
	}
	if meanEmbed == nil && m.MeanEmbed != nil {
		// A v2 run whose model owns mean_embed (the chosen live or EMA
		// weights were loaded with the rest).
		meanEmbed = append([]float32(nil), m.MeanEmbed.Data()...)
	}
	g, err := NewV2(m, tok, cfg, meanEmbed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	g.dataDir = run.DataDir
	if g.IsV2() && run.Denoise {
		g.trainedDenoiseRate = run.DenoiseRate
	}
	return g, nil
}

// NewV2 is New for a DiffuSeq-v2 model with a learned absorbing state m
// (d): x_T is m + N(0, I) on the generated part and every sampler works
// on x − m (reference 6.6). m nil is New.
func NewV2(m *model.TransformerNetModel, tok text.Tokenizer, cfg diffuseq.Config, meanEmbed []float32) (*Generator, error) {
	if meanEmbed != nil && len(meanEmbed) != m.Config.HiddenDim {
		return nil, fmt.Errorf("mean_embed has %d entries but the model's embeddings have d = %d", len(meanEmbed), m.Config.HiddenDim)
	}
	g, err := New(m, tok, cfg)
	if err != nil {
		return nil, err
	}
	g.meanEmbed = meanEmbed
	return g, nil
}

// IsV2 reports whether the model decodes with a learned absorbing state.
func (g *Generator) IsV2() bool { return g.meanEmbed != nil }

// TrainedDenoiseRate is the λ of the discrete noise the run trained with
// (a v2 model trained with --denoise), else 0. The reference's v2 decoder
// reads it from the run and applies it while sampling; Options.DenoiseRate
// is where a caller passes it on.
func (g *Generator) TrainedDenoiseRate() float64 { return g.trainedDenoiseRate }

// New wraps an in-memory model, its tokenizer and the diffusion it was
// trained with. The model must not be modified while the Generator is in
// use.
func New(m *model.TransformerNetModel, tok text.Tokenizer, cfg diffuseq.Config) (*Generator, error) {
	if tok.VocabSize() != m.Config.VocabSize {
		return nil, fmt.Errorf("vocabulary has %d tokens but the model was trained with %d", tok.VocabSize(), m.Config.VocabSize)
	}
	d, err := diffuseq.New(cfg)
	if err != nil {
		return nil, err
	}
	g := &Generator{model: m, tok: tok, diffusion: d, emb: m.WordEmbedding.Value, bias: m.LMHeadBias.Value}
	g.rounder = diffuseq.NewRounder(g.emb)
	g.tapes.New = func() any {
		tp := autograd.NewTape()
		tp.SetGrad(false)
		return tp
	}
	return g, nil
}

// Tokenizer is the model's vocabulary.
func (g *Generator) Tokenizer() text.Tokenizer { return g.tok }

// SeqLen is L, the row length the model was trained with.
func (g *Generator) SeqLen() int { return g.model.Config.SeqLen }

// DiffusionSteps is K, the number of steps of the trained process.
func (g *Generator) DiffusionSteps() int { return g.diffusion.NumTimesteps }

// Diffusion is the trained process (shared; do not modify).
func (g *Generator) Diffusion() *diffuseq.Diffusion { return g.diffusion }

// DataDir is the run's data_dir ("" when unknown), where the valid and
// test splits live.
func (g *Generator) DataDir() string { return g.dataDir }

// readRunSettings finds diff_steps, noise_schedule and data_dir: the
// checkpoint's "train_config" metadata first, then training_args.json in
// dir; zero values when neither exists.
func readRunSettings(file, dir string) (runSettings, error) {
	var rs runSettings
	meta, err := safetensorsMetadata(file)
	if err != nil {
		return rs, err
	}
	if tc, ok := meta["train_config"]; ok {
		if err := json.Unmarshal([]byte(tc), &rs); err != nil {
			return rs, fmt.Errorf("%s: metadata train_config: %v", file, err)
		}
		rs.trainConfig = tc
		return rs, nil
	}
	args := filepath.Join(dir, train.ArgsFile)
	b, err := os.ReadFile(args)
	if errors.Is(err, fs.ErrNotExist) {
		return rs, nil
	}
	if err != nil {
		return rs, err
	}
	if err := json.Unmarshal(b, &rs); err != nil {
		return rs, fmt.Errorf("%s: %v", args, err)
	}
	rs.trainConfig = string(b)
	return rs, nil
}

// maxHeader bounds the safetensors header read for the metadata.
const maxHeader = 100 << 20

// safetensorsMetadata reads only the header of a safetensors file (an
// 8-byte little-endian length, then that many bytes of JSON) and returns
// its "__metadata__" map.
func safetensorsMetadata(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var n uint64
	if err := binary.Read(f, binary.LittleEndian, &n); err != nil {
		return nil, fmt.Errorf("%s: header length: %v", path, err)
	}
	if n > maxHeader {
		return nil, fmt.Errorf("%s: header length %d is too large", path, n)
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return nil, fmt.Errorf("%s: header: %v", path, err)
	}
	var top struct {
		Meta map[string]string `json:"__metadata__"`
	}
	if err := json.Unmarshal(hdr, &top); err != nil {
		return nil, fmt.Errorf("%s: header: %v", path, err)
	}
	return top.Meta, nil
}
