package model

import (
	"encoding/json"
	"fmt"
)

// Config is the shape of a TransformerNetModel (reference section 2.1).
// JSON names follow the reference's training_args.json where it has one.
type Config struct {
	VocabSize    int     `json:"vocab_size"`
	HiddenDim    int     `json:"hidden_dim"`        // d: word-embedding width, model input/output
	HiddenTDim   int     `json:"hidden_t_dim"`      // d_t: sinusoidal time-embedding width
	HiddenSize   int     `json:"hidden_size"`       // H: transformer width
	Layers       int     `json:"num_hidden_layers"` // post-LN BERT layers
	Heads        int     `json:"num_attention_heads"`
	Intermediate int     `json:"intermediate_size"` // FFN width
	MaxPositions int     `json:"max_position_embeddings"`
	Dropout      float32 `json:"dropout"`                      // hidden dropout (the reference's --dropout)
	AttnDropout  float32 `json:"attention_probs_dropout_prob"` // BERT config value, not overridden
	LayerNormEps float32 `json:"layer_norm_eps"`
	SeqLen       int     `json:"seq_len"` // training sequence length (source + target)

	// LearnedMeanEmbed adds DiffuSeq-v2's soft absorbing state mean_embed
	// (d), the point the forward process drifts to (reference 6.2).
	LearnedMeanEmbed bool `json:"learned_mean_embed,omitempty"`
}

// Preset returns a named configuration for a vocabulary of size vocab:
// tiny (for tests and the demo), small (the benchmark/anchor recipe:
// embedding 128, hidden 256, 4 layers, 4 heads, FFN 1024, seq_len 64) and
// base (the paper's: 128 / 768 / 12 / 12 / 3072, seq_len 128).
func Preset(name string, vocab int) (Config, error) {
	c := Config{VocabSize: vocab, MaxPositions: 512, Dropout: 0.1, AttnDropout: 0.1, LayerNormEps: 1e-12}
	switch name {
	case "tiny":
		c.HiddenDim, c.HiddenTDim, c.HiddenSize, c.Layers, c.Heads, c.Intermediate, c.SeqLen = 32, 32, 128, 2, 2, 512, 32
	case "small":
		c.HiddenDim, c.HiddenTDim, c.HiddenSize, c.Layers, c.Heads, c.Intermediate, c.SeqLen = 128, 128, 256, 4, 4, 1024, 64
	case "base":
		c.HiddenDim, c.HiddenTDim, c.HiddenSize, c.Layers, c.Heads, c.Intermediate, c.SeqLen = 128, 128, 768, 12, 12, 3072, 128
	default:
		return Config{}, fmt.Errorf("unknown model size %q (want tiny, small or base)", name)
	}
	return c, nil
}

// Validate reports the first inconsistency in c.
func (c Config) Validate() error {
	switch {
	case c.VocabSize < 1:
		return fmt.Errorf("model config: vocab_size %d < 1", c.VocabSize)
	case c.HiddenDim < 1 || c.HiddenTDim < 1 || c.HiddenSize < 1 || c.Intermediate < 1:
		return fmt.Errorf("model config: widths must be positive (hidden_dim %d, hidden_t_dim %d, hidden_size %d, intermediate_size %d)", c.HiddenDim, c.HiddenTDim, c.HiddenSize, c.Intermediate)
	case c.Layers < 1:
		return fmt.Errorf("model config: num_hidden_layers %d < 1", c.Layers)
	case c.Heads < 1 || c.HiddenSize%c.Heads != 0:
		return fmt.Errorf("model config: hidden_size %d not divisible by num_attention_heads %d", c.HiddenSize, c.Heads)
	case c.SeqLen < 1 || c.SeqLen > c.MaxPositions:
		return fmt.Errorf("model config: seq_len %d outside [1, max_position_embeddings %d]", c.SeqLen, c.MaxPositions)
	case c.Dropout < 0 || c.Dropout >= 1 || c.AttnDropout < 0 || c.AttnDropout >= 1:
		return fmt.Errorf("model config: dropout %v / %v outside [0, 1)", c.Dropout, c.AttnDropout)
	case c.LayerNormEps <= 0:
		return fmt.Errorf("model config: layer_norm_eps %v must be positive", c.LayerNormEps)
	}
	return nil
}

// JSON returns c as a JSON object (checkpoint metadata).
func (c Config) JSON() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// ParseConfig reads a Config written by JSON and validates it.
func ParseConfig(s string) (Config, error) {
	var c Config
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return Config{}, fmt.Errorf("model config: %v", err)
	}
	return c, c.Validate()
}
