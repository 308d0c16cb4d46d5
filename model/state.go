package model

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/diffuseq-go/diffuseq/safetensors"
)

// Names of the tied lm_head weight and the position-id buffer, which
// official state dicts carry besides the parameters.
const (
	tiedName        = "lm_head.weight"
	positionIDsName = "position_ids"
	// MetaConfig is the checkpoint metadata key holding Config.JSON.
	MetaConfig = "config"
	// MetaTied records that lm_head.weight is word_embedding.weight.
	MetaTied = "tied"
)

// TensorSource is where a state dict is read from; *safetensors.File is one.
type TensorSource interface {
	Names() []string
	Tensor(name string) (*safetensors.Entry, bool)
	Float32(name string) ([]float32, []int, error)
}

// StateDict returns every parameter as float32 tensors under its official
// name, in state-dict order. The tied lm_head weight is stored once, as
// word_embedding.weight.
func (m *TransformerNetModel) StateDict() []safetensors.Named {
	var out []safetensors.Named
	for _, p := range m.Params() {
		out = append(out, safetensors.F32(p.Name, p.Shape(), p.Data()))
	}
	return out
}

// LoadStateDict copies the tensors named prefix+name into the parameters,
// checking that every parameter is present with the right shape and dtype
// and that nothing unknown is left over. It reports all problems at once.
//
// Official files also carry lm_head.weight; when present it is taken as the
// shared embedding matrix (reference 2.8: PyTorch's load_state_dict writes
// it last into the shared tensor, so it is what the reference decodes with,
// and in EMA files it is the raw, not the EMA, matrix).
func (m *TransformerNetModel) LoadStateDict(src TensorSource, prefix string) error {
	var problems []string
	known := map[string]bool{prefix + positionIDsName: true}
	load := func(name string, dst []float32, shape []int) {
		key := prefix + name
		known[key] = true
		e, ok := src.Tensor(key)
		if !ok {
			problems = append(problems, fmt.Sprintf("missing %s %v", name, shape))
			return
		}
		if !slices.Equal(e.Shape, shape) {
			problems = append(problems, fmt.Sprintf("%s: shape %v, model wants %v", name, e.Shape, shape))
			return
		}
		switch e.DType {
		case "F32", "F16", "BF16":
		default:
			problems = append(problems, fmt.Sprintf("%s: dtype %s, want a float type", name, e.DType))
			return
		}
		v, _, err := src.Float32(key)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			return
		}
		copy(dst, v)
	}
	for _, p := range m.Params() {
		load(p.Name, p.Data(), p.Shape())
	}
	if _, ok := src.Tensor(prefix + tiedName); ok {
		load(tiedName, m.WordEmbedding.Data(), m.WordEmbedding.Shape())
	}
	var extra []string
	for _, n := range src.Names() {
		// Names with a further "/" are other sections of the same file
		// (a training checkpoint's optim/ and sampler/ tensors).
		rest, ok := strings.CutPrefix(n, prefix)
		if ok && !known[n] && !strings.Contains(rest, "/") {
			extra = append(extra, rest)
		}
	}
	sort.Strings(extra)
	for _, n := range extra {
		problems = append(problems, "unexpected "+n)
	}
	if len(problems) > 0 {
		return errors.New("state dict does not match the model: " + strings.Join(problems, "; "))
	}
	return nil
}

// Save writes the model's weights with its config to path atomically
// (temporary file, fsync, rename). extra metadata is added as given.
func Save(path string, m *TransformerNetModel, extra map[string]string) error {
	meta := map[string]string{MetaConfig: m.Config.JSON(), MetaTied: tiedName + "=word_embedding.weight"}
	for k, v := range extra {
		meta[k] = v
	}
	return safetensors.WriteFile(path, m.StateDict(), meta)
}

// Load reads a model written by Save (or by `diffuseq import`), building
// it from the config in the metadata.
func Load(path string) (*TransformerNetModel, map[string]string, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	meta := f.Metadata()
	cs, ok := meta[MetaConfig]
	if !ok {
		return nil, nil, fmt.Errorf("%s: no %q entry in the metadata: not a diffuseq model checkpoint", path, MetaConfig)
	}
	c, err := ParseConfig(cs)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	m, err := New(c, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	if err := m.LoadStateDict(f, ""); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	return m, meta, nil
}
