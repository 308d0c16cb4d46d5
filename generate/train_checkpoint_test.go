package generate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/train"
)

// TestLoadTrainingCheckpoint loads a checkpoint written by the trainer
// itself (live weights plus two EMA copies, config in the metadata), with
// the EMA copies shifted by known offsets so that each weight choice is
// recognisable.
func TestLoadTrainingCheckpoint(t *testing.T) {
	_, tok := tinyModel(t)
	cfg := tinyTrainConfig()
	cfg.EMARate = "0.9999,0.99" // "ema" is the first listed, though "0.99" sorts first
	tr, err := train.New(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, train.VocabFile), strings.Join(tinyWords, "\n")+"\n")
	if err := tr.Save(dir, train.VocabFile); err != nil {
		t.Fatal(err)
	}
	live := tr.Model.LMHeadBias.Data()[0]
	// Rewrite the file with the EMA copies of lm_head.bias shifted.
	path := filepath.Join(dir, train.CheckpointFile)
	f, err := safetensors.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	shift := map[string]float32{"optim/ema_0.9999.lm_head.bias": 1, "optim/ema_0.99.lm_head.bias": 2}
	var tensors []safetensors.Named
	for _, n := range f.Names() {
		e, _ := f.Tensor(n)
		if d, ok := shift[n]; ok {
			v, _, _ := f.Float32(n)
			for i := range v {
				v[i] += d
			}
			tensors = append(tensors, safetensors.F32(n, e.Shape, v))
			continue
		}
		tensors = append(tensors, safetensors.Named{Name: n, DType: e.DType, Shape: e.Shape, Data: append([]byte(nil), e.Data...)})
	}
	if err := safetensors.WriteFile(path, tensors, f.Metadata()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		weights string
		shift   float32
	}{{"", 1}, {"ema", 1}, {"ema_0.9999", 1}, {"ema_0.99", 2}, {"live", 0}} {
		g, err := Load(dir, LoadOptions{Weights: c.weights})
		if err != nil {
			t.Fatalf("weights %q: %v", c.weights, err)
		}
		if g.DiffusionSteps() != 30 || g.SeqLen() != 16 {
			t.Fatalf("weights %q: K = %d, L = %d", c.weights, g.DiffusionSteps(), g.SeqLen())
		}
		if got := g.model.LMHeadBias.Data()[0]; got != live+c.shift {
			t.Errorf("weights %q: bias[0] = %v, want live %v + %v", c.weights, got, live, c.shift)
		}
		if _, err := g.Generate(context.Background(), testSources[:2], Options{Seed: 1, Steps: 5}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Load(dir, LoadOptions{Weights: "ema_0.5"}); err == nil || !strings.Contains(err.Error(), `"ema_0.5"`) {
		t.Fatalf("missing EMA rate: %v", err)
	}
}

// tinyTrainConfig is the trainer configuration of the checkpoint tests:
// a one-layer model small enough to train a step in milliseconds.
func tinyTrainConfig() train.Config {
	cfg := train.DefaultConfig()
	cfg.Model, cfg.HiddenSize, cfg.Layers, cfg.Heads, cfg.Intermediate = "tiny", 16, 1, 2, 32
	cfg.HiddenDim, cfg.HiddenTDim, cfg.SeqLen, cfg.DiffSteps = 8, 8, 16, 30
	return cfg
}
