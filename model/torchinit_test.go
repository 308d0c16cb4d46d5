package model

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/fixture"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// TestTorchInitMatchesFixture: the official fixture's parameters are the
// reference constructor's initial values after torch.manual_seed(1234)
// (manifest "seeds.model_init"; eval() fixtures, no training). Building
// the tiny model from that stream must give them back: uniforms bit for
// bit, normals to a few float32 ulp. A wrong order of construction or a wrong number of draws
// anywhere would shift every later parameter completely.
func TestTorchInitMatchesFixture(t *testing.T) {
	fx := fixture.Open(t)
	m, err := NewWithTorchRNG(fixtureConfig(), tensor.NewTorchRNG(1234), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		want := fx.Tensor("param/" + p.Name).Data()
		got := p.Data()
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, want %d", p.Name, len(got), len(want))
		}
		// In ulp of the tensor's largest value (an error of the Box–Muller
		// transform scales with the radius, not with the result).
		var worst, maxWant float64
		for i := range got {
			worst = math.Max(worst, math.Abs(float64(got[i])-float64(want[i])))
			maxWant = math.Max(maxWant, math.Abs(float64(want[i])))
		}
		ulp := float64(math.Nextafter32(float32(maxWant), float32(math.Inf(1)))) - maxWant
		ulps := worst / ulp
		// Normals (embeddings) carry torch's float32 log/cos error (3-5
		// ulp measured); the uniforms must be exact.
		limit := 0.0
		if p == m.WordEmbedding || p == m.PositionEmb {
			limit = 16
		}
		if ulps > limit {
			t.Errorf("%s: max diff %.3g = %.1f ulp, allowed %.0f", p.Name, worst, ulps, limit)
		}
	}
}

// TestNativeAndTorchStreamsDiffer: New and NewWithTorchRNG draw from
// separate streams even for the same seed.
func TestNativeAndTorchStreamsDiffer(t *testing.T) {
	a, _ := New(fixtureConfig(), 1234)
	b, _ := NewWithTorchRNG(fixtureConfig(), tensor.NewTorchRNG(1234), 1234)
	if a.WordEmbedding.Data()[0] == b.WordEmbedding.Data()[0] {
		t.Fatal("native and torch initial embeddings coincide")
	}
}

// TestTorchInitMeanEmbed: v2's absorbing state is drawn by th.randn(d)
// and then redrawn by normal_(0, d^-0.5) (testdata/torch_mean_embed_gen.py
// records PyTorch doing that); the values and the stream position after
// them must agree.
func TestTorchInitMeanEmbed(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_mean_embed.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Cases []struct {
			Seed    uint64    `json:"seed"`
			D       int       `json:"d"`
			Values  []float64 `json:"values"`
			NextInt uint64    `json:"next_int64"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	for _, c := range rec.Cases {
		g := tensor.NewTorchRNG(c.Seed)
		x := make([]float32, c.D)
		torchInit{g}.meanEmbed(x)
		for i, want := range c.Values {
			if d := math.Abs(float64(x[i]) - want); d > 2e-6*math.Pow(float64(c.D), -0.5) {
				t.Fatalf("seed %d d %d: m[%d] = %v, want %v", c.Seed, c.D, i, x[i], want)
			}
		}
		if got := g.Random64() & (1<<63 - 1); got != c.NextInt {
			t.Fatalf("seed %d d %d: stream position differs after mean_embed", c.Seed, c.D)
		}
	}
}
