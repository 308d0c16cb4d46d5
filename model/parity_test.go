package model

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/internal/fixture"
	"github.com/diffuseq-go/diffuseq/safetensors"
)

// FixtureConfig is the tiny configuration of
// ../shared/fixtures/diffuseq-tiny.manifest.json.
func fixtureConfig() Config {
	return Config{VocabSize: 50, HiddenDim: 16, HiddenTDim: 16, HiddenSize: 32, Layers: 2, Heads: 2,
		Intermediate: 128, MaxPositions: 512, Dropout: 0.1, AttnDropout: 0.1, LayerNormEps: 1e-12, SeqLen: 12}
}

func loadFixtureModel(t *testing.T) (*TransformerNetModel, fixture.File) {
	t.Helper()
	fx := fixture.Open(t)
	m, err := New(fixtureConfig(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.LoadStateDict(fx.Safetensors(), "param/"); err != nil {
		t.Fatal(err)
	}
	return m, fx
}

// closeTo checks max|got−want| ≤ rel·max(max|want|, floor).
func closeTo(t *testing.T, name string, got, want []float32, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	var maxDiff, maxWant float64
	for i := range got {
		maxDiff = math.Max(maxDiff, math.Abs(float64(got[i])-float64(want[i])))
		maxWant = math.Max(maxWant, math.Abs(float64(want[i])))
	}
	if maxDiff > rel*math.Max(maxWant, 1e-3) || math.IsNaN(maxDiff) {
		t.Errorf("%s: max abs diff %.3g (max |want| %.3g), allowed relative %.1g", name, maxDiff, maxWant, rel)
	} else {
		t.Logf("%s: max abs diff %.3g (max |want| %.3g)", name, maxDiff, maxWant)
	}
}

func TestTimestepEmbeddingReferenceValues(t *testing.T) {
	// Reference 2.3: τ = 999.5, d_t = 128. The quoted values carry 5
	// digits, and at τ ≈ 1000 one float32 ulp of a frequency moves the
	// argument by ~6e-5, so agreement is to ~5e-5; the fixture test below
	// (computed by the official code on this very path) is the strict one.
	e := TimestepEmbedding([]float32{999.5}, 128).Data()
	want := map[int]float32{0: 0.88996, 1: 0.02256, 2: -0.24684, 64: 0.45604, 65: -0.99975, 66: 0.96906}
	for i, w := range want {
		if math.Abs(float64(e[i]-w)) > 5e-5 {
			t.Errorf("emb[%d] = %v, want %v", i, e[i], w)
		}
	}
}

func TestForwardMatchesOfficial(t *testing.T) {
	m, f := loadFixtureModel(t)
	tau := f.Tensor("forward/t_model").Data()
	closeTo(t, "timestep_embedding", TimestepEmbedding(tau, 16).Data(), f.Tensor("forward/timestep_embedding").Data(), 1e-6)

	tp := autograd.NewTape()
	tp.SetGrad(false)
	x := tp.Const(f.Tensor("forward/x"))
	seen := map[string]bool{}
	m.Observe = func(name string, v *autograd.Var) {
		seen[name] = true
		closeTo(t, "forward/"+name, v.Data(), f.Tensor("forward/"+name).Data(), 1e-5)
	}
	out := m.Forward(tp, x, tau, false)
	for _, name := range []string{"emb_t", "emb_x", "emb_inputs_layernorm", "layer0_out", "layer1_out", "encoder_out", "out_down_proj"} {
		if !seen[name] {
			t.Errorf("activation %s was never observed", name)
		}
	}
	closeTo(t, "forward/out", out.Data(), f.Tensor("forward/out").Data(), 1e-5)
	logits := m.Logits(tp, out)
	closeTo(t, "forward/logits", logits.Data(), f.Tensor("forward/logits").Data(), 1e-5)
}

func TestStateDictRoundTrip(t *testing.T) {
	m, err := New(fixtureConfig(), 7)
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/m.safetensors"
	if err := Save(path, m, map[string]string{"step": "3"}); err != nil {
		t.Fatal(err)
	}
	m2, meta, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta["step"] != "3" || m2.Config != m.Config {
		t.Fatalf("metadata %v config %+v", meta, m2.Config)
	}
	for i, p := range m.Params() {
		q := m2.Params()[i]
		if p.Name != q.Name || !slices.Equal(p.Data(), q.Data()) {
			t.Fatalf("param %s differs after round trip", p.Name)
		}
	}
}

func TestLoadStateDictReportsMismatches(t *testing.T) {
	m, _ := New(fixtureConfig(), 7)
	c := fixtureConfig()
	c.HiddenSize, c.Heads = 64, 4
	other, _ := New(c, 7)
	path := t.TempDir() + "/o.safetensors"
	if err := Save(path, other, nil); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	err = m.LoadStateDict(f, "")
	if err == nil {
		t.Fatal("loading a 64-wide state dict into a 32-wide model succeeded")
	}
	for _, want := range []string{"time_embed.2.weight: shape [64 64], model wants [32 64]", "LayerNorm.weight: shape [64]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
