package train

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// TestInitialModelTorchStream replays, on PyTorch, the draws the official
// train.py makes before its model (testdata/torch_init_gen.py), and checks
// that Init "torch" lands on the same word embedding (normals to a few
// float32 ulp) and lm_head bias (uniforms, exact): the skipped fills and
// the DataLoader's int64 draw are counted right, including the redrawn
// tail of a fill whose size is not a multiple of 16.
func TestInitialModelTorchStream(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_init.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Seed          uint64    `json:"seed"`
		Vocab         int       `json:"vocab"`
		HiddenDim     int       `json:"hidden_dim"`
		WordEmbedding []float64 `json:"word_embedding"`
		LMHeadBias    []float64 `json:"lm_head_bias"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Model, cfg.Seed, cfg.Init = "tiny", rec.Seed, InitTorch
	cfg.HiddenDim, cfg.HiddenTDim, cfg.HiddenSize, cfg.Intermediate, cfg.SeqLen = rec.HiddenDim, 8, 16, 32, 8
	mc, err := cfg.ModelConfig(rec.Vocab)
	if err != nil {
		t.Fatal(err)
	}
	m, err := InitialModel(cfg, mc)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range rec.WordEmbedding {
		if d := math.Abs(float64(m.WordEmbedding.Data()[i]) - want); d > 2e-6 {
			t.Fatalf("word_embedding[%d] = %v, want %v", i, m.WordEmbedding.Data()[i], want)
		}
	}
	for i, want := range rec.LMHeadBias {
		if got := m.LMHeadBias.Data()[i]; float64(got) != want {
			t.Fatalf("lm_head.bias[%d] = %v, want %v", i, got, want)
		}
	}
	cfg.Init = InitNative
	n, err := InitialModel(cfg, mc)
	if err != nil {
		t.Fatal(err)
	}
	if n.WordEmbedding.Data()[0] == m.WordEmbedding.Data()[0] {
		t.Fatal("native and torch initial embeddings coincide")
	}
}

func TestConfigInitValidated(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init = "jax"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), `init "jax"`) {
		t.Fatalf("want an error naming init, got %v", err)
	}
}
