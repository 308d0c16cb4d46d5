package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// modelConfig is the part of a TransformerNetModel's configuration that
// its state dict determines (reference 2.1, 2.7), plus the two values the
// weights cannot tell us (heads, seq_len), which come from flags.
type modelConfig struct {
	VocabSize             int     `json:"vocab_size"`                   // V
	HiddenDim             int     `json:"hidden_dim"`                   // d, word-embedding width
	HiddenTDim            int     `json:"hidden_t_dim"`                 // d_t, timestep sinusoid width
	HiddenSize            int     `json:"hidden_size"`                  // H, transformer width
	NumHiddenLayers       int     `json:"num_hidden_layers"`            // encoder layers
	NumAttentionHeads     int     `json:"num_attention_heads"`          // from --heads
	IntermediateSize      int     `json:"intermediate_size"`            // FFN width
	MaxPositionEmbeddings int     `json:"max_position_embeddings"`      // rows of the position table
	SeqLen                int     `json:"seq_len"`                      // from --seq-len
	Dropout               float64 `json:"dropout"`                      // reference --dropout default 0.1 (for further training)
	AttnDropout           float64 `json:"attention_probs_dropout_prob"` // BERT config 0.1, not overridden (reference 2.1)
	LayerNormEps          float64 `json:"layer_norm_eps"`               // 1e-12 everywhere (reference 2.1)
	LearnedMeanEmbed      bool    `json:"learned_mean_embed"`           // v2 soft absorbing state present
}

// shapeOf returns a tensor's shape from the state dict, or an error that
// names the missing key.
type shapeLookup func(name string) ([]int, bool)

// inferConfig reads the dimensions off the state dict's shapes.
func inferConfig(shape shapeLookup) (modelConfig, error) {
	var c modelConfig
	dim := func(name string, rank, axis int) (int, error) {
		s, ok := shape(name)
		if !ok {
			return 0, fmt.Errorf("no tensor %q: not a DiffuSeq TransformerNetModel state dict", name)
		}
		if len(s) != rank {
			return 0, fmt.Errorf("tensor %q has shape %v, want rank %d", name, s, rank)
		}
		return s[axis], nil
	}
	emb := "word_embedding.weight"
	_, hasW := shape(emb)
	if _, hasL := shape("lm_head.weight"); !hasW && hasL {
		emb = "lm_head.weight" // the tied matrix may survive under either name
	}
	var err error
	if c.VocabSize, err = dim(emb, 2, 0); err != nil {
		return c, err
	}
	if c.HiddenDim, err = dim(emb, 2, 1); err != nil {
		return c, err
	}
	if c.HiddenTDim, err = dim("time_embed.0.weight", 2, 1); err != nil {
		return c, err
	}
	if c.HiddenSize, err = dim("time_embed.2.weight", 2, 0); err != nil {
		return c, err
	}
	if c.MaxPositionEmbeddings, err = dim("position_embeddings.weight", 2, 0); err != nil {
		return c, err
	}
	if c.IntermediateSize, err = dim("input_transformers.layer.0.intermediate.dense.weight", 2, 0); err != nil {
		return c, err
	}
	for {
		if _, ok := shape(layerKey(c.NumHiddenLayers, "attention.self.query.weight")); !ok {
			break
		}
		c.NumHiddenLayers++
	}
	_, c.LearnedMeanEmbed = shape("mean_embed")
	c.LayerNormEps = 1e-12
	c.Dropout, c.AttnDropout = 0.1, 0.1 // not in the weights; the reference's values (2.1)
	return c, nil
}

func layerKey(i int, rest string) string {
	return "input_transformers.layer." + strconv.Itoa(i) + "." + rest
}

// expectedShapes lists every tensor a TransformerNetModel with config c
// holds (reference 2.7), keyed by state-dict name. The tied lm_head.weight
// is included; the up/down projections exist only when d ≠ H (2.2).
func expectedShapes(c modelConfig) map[string][]int {
	V, d, dt, H, I, P := c.VocabSize, c.HiddenDim, c.HiddenTDim, c.HiddenSize, c.IntermediateSize, c.MaxPositionEmbeddings
	m := map[string][]int{
		"position_ids":               {1, P},
		"word_embedding.weight":      {V, d},
		"lm_head.weight":             {V, d},
		"lm_head.bias":               {V},
		"time_embed.0.weight":        {4 * dt, dt},
		"time_embed.0.bias":          {4 * dt},
		"time_embed.2.weight":        {H, 4 * dt},
		"time_embed.2.bias":          {H},
		"position_embeddings.weight": {P, H},
		"LayerNorm.weight":           {H},
		"LayerNorm.bias":             {H},
	}
	if d != H {
		m["input_up_proj.0.weight"], m["input_up_proj.0.bias"] = []int{H, d}, []int{H}
		m["input_up_proj.2.weight"], m["input_up_proj.2.bias"] = []int{H, H}, []int{H}
		m["output_down_proj.0.weight"], m["output_down_proj.0.bias"] = []int{H, H}, []int{H}
		m["output_down_proj.2.weight"], m["output_down_proj.2.bias"] = []int{d, H}, []int{d}
	}
	for i := 0; i < c.NumHiddenLayers; i++ {
		for _, p := range []string{"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"} {
			m[layerKey(i, p+".weight")], m[layerKey(i, p+".bias")] = []int{H, H}, []int{H}
		}
		m[layerKey(i, "attention.output.LayerNorm.weight")], m[layerKey(i, "attention.output.LayerNorm.bias")] = []int{H}, []int{H}
		m[layerKey(i, "intermediate.dense.weight")], m[layerKey(i, "intermediate.dense.bias")] = []int{I, H}, []int{I}
		m[layerKey(i, "output.dense.weight")], m[layerKey(i, "output.dense.bias")] = []int{H, I}, []int{H}
		m[layerKey(i, "output.LayerNorm.weight")], m[layerKey(i, "output.LayerNorm.bias")] = []int{H}, []int{H}
	}
	if c.LearnedMeanEmbed {
		m["mean_embed"] = []int{d}
	}
	return m
}

// checkLayout compares the state dict against expectedShapes: every
// tensor must be known with the right shape, and every expected one
// present (the tied pair counts as present if either name is).
func checkLayout(c modelConfig, names []string, shape shapeLookup) error {
	want := expectedShapes(c)
	var problems []string
	for _, n := range names {
		w, ok := want[n]
		if !ok {
			problems = append(problems, fmt.Sprintf("unexpected tensor %q", n))
			continue
		}
		if s, _ := shape(n); !equalInts(s, w) {
			problems = append(problems, fmt.Sprintf("tensor %q has shape %v, want %v", n, s, w))
		}
	}
	_, hasW := shape("word_embedding.weight")
	_, hasL := shape("lm_head.weight")
	for n := range want {
		if _, ok := shape(n); ok || ((n == "word_embedding.weight" || n == "lm_head.weight") && (hasW || hasL)) {
			continue
		}
		problems = append(problems, fmt.Sprintf("missing tensor %q", n))
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	if len(problems) > 6 {
		problems = append(problems[:6], fmt.Sprintf("and %d more", len(problems)-6))
	}
	return fmt.Errorf("not a DiffuSeq TransformerNetModel state dict (inferred V=%d d=%d d_t=%d H=%d layers=%d): %s",
		c.VocabSize, c.HiddenDim, c.HiddenTDim, c.HiddenSize, c.NumHiddenLayers, strings.Join(problems, "; "))
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
