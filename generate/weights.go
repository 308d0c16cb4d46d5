package generate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/text"
	"github.com/diffuseq-go/diffuseq/train"
)

// Names inside a training checkpoint (train.Trainer.Save): the format
// marker and the EMA copies "optim/ema_RATE.PARAM".
const (
	trainFormatKey = "format"
	trainFormat    = "diffuseq-train-v1"
	emaPrefix      = "optim/ema_"
)

// loadWeights is train.LoadWeights with the EMA selection done here:
// train.LoadWeights cuts the rate at its first "." and so never finds
// "ema_0.9999" (reported to the train package's owner). The live model
// and the vocabulary come from train.LoadWeights; for a training
// checkpoint and weights ≠ "live" the parameters are then replaced by the
// EMA copy of the first rate ("ema") or of the named one ("ema_RATE").
func loadWeights(file, weights string) (*model.TransformerNetModel, text.Tokenizer, error) {
	m, tok, err := train.LoadWeights(file, "live")
	if err != nil || weights == "live" {
		return m, tok, err
	}
	meta, err := safetensorsMetadata(file)
	if err != nil {
		return nil, nil, err
	}
	if meta[trainFormatKey] != trainFormat {
		return m, tok, nil // an imported or model.Save file: one weight set
	}
	f, err := safetensors.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	// The rate is what sits between "optim/ema_" and ".<first param>".
	first := "." + m.Params()[0].Name
	var rates []string
	for _, n := range f.Names() {
		if rest, ok := strings.CutPrefix(n, emaPrefix); ok && strings.HasSuffix(rest, first) {
			rates = append(rates, strings.TrimSuffix(rest, first))
		}
	}
	rates = trainingOrder(rates, meta["train_config"])
	rate := ""
	for _, r := range rates {
		if weights == "ema" || weights == "ema_"+r {
			rate = r
			break
		}
	}
	if rate == "" {
		return nil, nil, fmt.Errorf("%s: no %q weights in the checkpoint (EMA rates: %s; or use live)", file, weights, strings.Join(rates, ", "))
	}
	for _, p := range m.Params() {
		v, _, err := f.Float32(emaPrefix + rate + "." + p.Name)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", file, err)
		}
		if len(v) != len(p.Data()) {
			return nil, nil, fmt.Errorf("%s: EMA copy of %s has %d values, the parameter %d", file, p.Name, len(v), len(p.Data()))
		}
		copy(p.Data(), v)
	}
	return m, tok, nil
}

// trainingOrder sorts the EMA rates found in a checkpoint (names come
// sorted by string) into the order of the run's ema_rate option, so that
// "ema" means the first rate the user listed, as in the reference.
func trainingOrder(rates []string, trainConfig string) []string {
	var tc struct {
		EMARate string `json:"ema_rate"`
	}
	if json.Unmarshal([]byte(trainConfig), &tc) != nil || tc.EMARate == "" {
		return rates
	}
	var order []float64
	for _, f := range strings.Split(tc.EMARate, ",") {
		if v, err := strconv.ParseFloat(strings.TrimSpace(f), 64); err == nil {
			order = append(order, v)
		}
	}
	pos := func(r string) int {
		v, err := strconv.ParseFloat(r, 64)
		if i := slices.Index(order, v); err == nil && i >= 0 {
			return i
		}
		return len(order)
	}
	out := slices.Clone(rates)
	slices.SortStableFunc(out, func(a, b string) int { return pos(a) - pos(b) })
	return out
}
