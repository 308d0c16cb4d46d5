package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/text"
	"github.com/diffuseq-go/diffuseq/train"
)

const emaPrefix = "optim/ema_"

// loadWeights loads a training checkpoint's live weights and, for "ema"
// or "ema_RATE", overwrites them with the EMA copy. The rate is whatever
// sits between "optim/ema_" and ".<first parameter>" (train.LoadWeights
// cuts rates such as 0.99 at their first dot).
func loadWeights(path, weights string) (*model.TransformerNetModel, text.Tokenizer, error) {
	m, tok, err := train.LoadWeights(path, "live")
	if err != nil || weights == "live" {
		return m, tok, err
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, train.CheckpointFile)
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	first := "." + m.Params()[0].Name
	rate := ""
	for _, n := range f.Names() {
		if rest, ok := strings.CutPrefix(n, emaPrefix); ok && strings.HasSuffix(rest, first) {
			r := strings.TrimSuffix(rest, first)
			if weights == "ema" || weights == "ema_"+r {
				rate = r
				break
			}
		}
	}
	if rate == "" {
		return nil, nil, fmt.Errorf("%s: no %q weights", path, weights)
	}
	for _, p := range m.Params() {
		v, _, err := f.Float32(emaPrefix + rate + "." + p.Name)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", path, err)
		}
		copy(p.Data(), v)
	}
	return m, tok, nil
}

// firstEMAKey is the first "ema_RATE.mean_embed" key of a sidecar file.
func firstEMAKey(path string) (string, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return "", err
	}
	for _, n := range f.Names() {
		if strings.HasPrefix(n, "ema_") && strings.HasSuffix(n, "."+train.MeanEmbedName) {
			return n, nil
		}
	}
	return "", fmt.Errorf("%s: no EMA copy of %s", path, train.MeanEmbedName)
}
