package train

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/diffuseq-go/diffuseq/model"
)

// Config is a training run's settings under the reference's option names
// (reference 4.1; the launcher's defaults where the launcher sets them).
// Model shape fields left at 0 come from the Model preset.
type Config struct {
	DataDir string `json:"data_dir"` // holds train.jsonl and valid.jsonl
	Vocab   string `json:"vocab"`    // custom vocab file, BERT vocab.txt, or "" to build a word vocab from train.jsonl
	Model   string `json:"model"`    // preset: tiny, small or base

	HiddenSize   int `json:"hidden_size,omitempty"`
	Layers       int `json:"num_hidden_layers,omitempty"`
	Heads        int `json:"num_attention_heads,omitempty"`
	Intermediate int `json:"intermediate_size,omitempty"`

	DiffSteps        int     `json:"diff_steps"`
	NoiseSchedule    string  `json:"noise_schedule"`
	ScheduleSampler  string  `json:"schedule_sampler"` // uniform, lossaware, fixstep
	SeqLen           int     `json:"seq_len"`
	HiddenDim        int     `json:"hidden_dim"`
	HiddenTDim       int     `json:"hidden_t_dim"`
	Bsz              int     `json:"bsz"`
	Microbatch       int     `json:"microbatch"`
	LR               float64 `json:"lr"`
	LearningSteps    int     `json:"learning_steps"`
	EMARate          string  `json:"ema_rate"`
	Dropout          float64 `json:"dropout"`
	Seed             uint64  `json:"seed"`
	SaveInterval     int     `json:"save_interval"`
	LogInterval      int     `json:"log_interval"`
	EvalInterval     int     `json:"eval_interval"`
	GradientClipping float64 `json:"gradient_clipping"`
	WeightDecay      float64 `json:"weight_decay"`

	// SkipBad skips (and counts) bad jsonl lines instead of stopping at
	// the first one.
	SkipBad bool `json:"skip_bad,omitempty"`

	// Init chooses the random stream of the initial weights: "" or
	// "native" (this module's RNG from Seed) or "torch" (the official
	// train.py's PyTorch stream from Seed; see InitialModel).
	Init string `json:"init,omitempty"`

	// DiffuSeq-v2 (reference 6): the learned soft absorbing state, the
	// discrete noise of rate λ during training, and the regulariser on ‖m‖.
	LearnedMeanEmbed bool    `json:"learned_mean_embed"`
	Denoise          bool    `json:"denoise"`
	DenoiseRate      float64 `json:"denoise_rate"`
	RegRate          float64 `json:"reg_rate"`
}

// V2 returns the run's DiffuSeq-v2 options.
func (c Config) V2() V2Options {
	return V2Options{LearnedMeanEmbed: c.LearnedMeanEmbed, Denoise: c.Denoise, DenoiseRate: c.DenoiseRate, RegRate: c.RegRate}
}

// DefaultConfig is the reference's defaults (config.json and
// run_train.py) with the small model preset.
func DefaultConfig() Config {
	return Config{
		Model: "small", DiffSteps: 2000, NoiseSchedule: "sqrt", ScheduleSampler: "lossaware",
		SeqLen: 64, HiddenDim: 128, HiddenTDim: 128, Bsz: 64, Microbatch: 64, LR: 1e-4,
		LearningSteps: 40000, EMARate: "0.9999", Dropout: 0.1, Seed: 102, SaveInterval: 10000,
		LogInterval: 20, EvalInterval: 1000, GradientClipping: -1, WeightDecay: 0,
		DenoiseRate: DefaultV2Options().DenoiseRate,
	}
}

// LoadConfigFile reads a JSON config over base (unknown keys are errors,
// so a typo does not silently fall back to a default).
func LoadConfigFile(path string, base Config) (Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return base, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	c := base
	if err := dec.Decode(&c); err != nil {
		return base, fmt.Errorf("%s: %v", path, err)
	}
	return c, nil
}

// ModelConfig is the network shape for a vocabulary of size vocab.
func (c Config) ModelConfig(vocab int) (model.Config, error) {
	mc, err := model.Preset(c.Model, vocab)
	if err != nil {
		return mc, err
	}
	set := func(dst *int, v int) {
		if v > 0 {
			*dst = v
		}
	}
	set(&mc.HiddenSize, c.HiddenSize)
	set(&mc.Layers, c.Layers)
	set(&mc.Heads, c.Heads)
	set(&mc.Intermediate, c.Intermediate)
	set(&mc.HiddenDim, c.HiddenDim)
	set(&mc.HiddenTDim, c.HiddenTDim)
	set(&mc.SeqLen, c.SeqLen)
	mc.Dropout = float32(c.Dropout)
	mc.LearnedMeanEmbed = c.LearnedMeanEmbed
	return mc, mc.Validate()
}

// Validate reports the first bad setting, by its option name.
func (c Config) Validate() error {
	switch {
	case c.DiffSteps < 2:
		return fmt.Errorf("diff_steps %d: need at least 2", c.DiffSteps)
	case c.Bsz < 1:
		return fmt.Errorf("bsz %d: need at least 1", c.Bsz)
	case c.Microbatch < 1:
		return fmt.Errorf("microbatch %d: need at least 1", c.Microbatch)
	case c.LR <= 0:
		return fmt.Errorf("lr %v: must be positive", c.LR)
	case c.LearningSteps < 1:
		return fmt.Errorf("learning_steps %d: need at least 1", c.LearningSteps)
	case c.LogInterval < 1 || c.SaveInterval < 1 || c.EvalInterval < 1:
		return fmt.Errorf("log_interval %d, save_interval %d, eval_interval %d: all must be ≥ 1", c.LogInterval, c.SaveInterval, c.EvalInterval)
	case c.Dropout < 0 || c.Dropout >= 1:
		return fmt.Errorf("dropout %v: outside [0, 1)", c.Dropout)
	}
	if err := c.V2().Validate(); err != nil {
		return err
	}
	switch c.ScheduleSampler {
	case "uniform", "lossaware", "fixstep":
	default:
		return fmt.Errorf("schedule_sampler %q: want uniform, lossaware or fixstep", c.ScheduleSampler)
	}
	switch c.Init {
	case "", InitNative, InitTorch:
	default:
		return fmt.Errorf("init %q: want %s or %s", c.Init, InitNative, InitTorch)
	}
	return nil
}
