package generate

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// writeMeanEmbed adds a v2 sidecar to a run folder: live m = 0.5·1 and
// the EMA copy m = −0.5·1.
func writeMeanEmbed(t *testing.T, dir string, d int) {
	t.Helper()
	live, ema := make([]float32, d), make([]float32, d)
	for i := range live {
		live[i], ema[i] = 0.5, -0.5
	}
	err := safetensors.WriteFile(filepath.Join(dir, MeanEmbedFile), []safetensors.Named{
		safetensors.F32("mean_embed", []int{d}, live), safetensors.F32("ema_0.9999.mean_embed", []int{d}, ema)}, nil)
	if err != nil {
		t.Fatal(err)
	}
}

func TestV2LoadsSidecar(t *testing.T) {
	dir := writeTinyRun(t)
	writeMeanEmbed(t, dir, 8)
	for _, c := range []struct {
		weights string
		want    float32
	}{{"live", 0.5}, {"ema", -0.5}, {"ema_0.9999", -0.5}} {
		g, err := Load(dir, LoadOptions{Weights: c.weights})
		if err != nil {
			t.Fatal(err)
		}
		if !g.IsV2() || g.meanEmbed[3] != c.want {
			t.Fatalf("weights %s: mean_embed %v", c.weights, g.meanEmbed)
		}
	}
	if _, err := Load(dir, LoadOptions{Weights: "ema_0.5"}); err == nil || !strings.Contains(err.Error(), `"ema_0.5" mean_embed`) {
		t.Fatalf("missing rate: %v", err)
	}
	if _, err := Load(dir, LoadOptions{MeanEmbed: filepath.Join(dir, "nope.safetensors")}); err == nil || !strings.Contains(err.Error(), "nope.safetensors") {
		t.Fatalf("missing sidecar: %v", err)
	}
	g, err := Load(writeTinyRun(t), LoadOptions{})
	if err != nil || g.IsV2() {
		t.Fatalf("v1 run: %v", err)
	}
}

// generateSameAsDecode runs GenerateRows and fails unless every row's
// tokens equal diffuseq.Decode's with the same options and draws.
func generateSameAsDecode(t *testing.T, g *Generator, rows []Row, opt Options) []Result {
	t.Helper()
	got, err := g.GenerateRows(context.Background(), rows, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := decodeDirect(t, g, rows, opt.BatchSize, opt.Seed, opt)
	for i := range rows {
		if !slices.Equal(got[i].Tokens, want[i]) {
			t.Fatalf("%+v row %d: Generate %v, Decode %v", opt, i, got[i].Tokens, want[i])
		}
	}
	return got
}

// TestV2MatchesDecode: with an absorbing state every sampler equals
// diffuseq.Decode with the same MeanEmbed, and m changes the output.
func TestV2MatchesDecode(t *testing.T) {
	m, tok := tinyModel(t)
	me := make([]float32, m.Config.HiddenDim)
	tensor.NewRNG(11).FillNormal(me, 0, 1)
	g, err := NewV2(m, tok, diffuseq.Config{DiffusionSteps: tinyDiffSteps, NoiseSchedule: "sqrt", RescaleTimesteps: true}, me)
	if err != nil {
		t.Fatal(err)
	}
	v1, _ := New(m, tok, diffuseq.Config{DiffusionSteps: tinyDiffSteps, NoiseSchedule: "sqrt", RescaleTimesteps: true})
	rows := g.Rows(testSources)
	for _, opt := range []Options{
		{Seed: 1, BatchSize: 2},
		{Seed: 2, BatchSize: 5, Sampler: diffuseq.SamplerDDIM, Steps: 10},
		{Seed: 3, BatchSize: 3, Sampler: diffuseq.SamplerDPMSolver},
		{Seed: 4, BatchSize: 3, Sampler: diffuseq.SamplerDPMSolverReference, Steps: 5},
	} {
		got := generateSameAsDecode(t, g, rows, opt)
		if opt.Sampler != diffuseq.SamplerDPMSolverReference { // that one ignores m in x_T only
			plain, _ := v1.GenerateRows(context.Background(), rows, opt)
			if fmt.Sprint(plain) == fmt.Sprint(got) {
				t.Errorf("%q: mean_embed changed nothing", opt.Sampler)
			}
		}
	}
	// v2's sampling-time discrete noise: the same as Decode with it, and
	// not the same as without it.
	for _, opt := range []Options{
		{Seed: 5, BatchSize: 3, DenoiseRate: 0.5},
		{Seed: 6, BatchSize: 4, Sampler: diffuseq.SamplerAncestral, Steps: 10, DenoiseRate: 0.3},
	} {
		got := generateSameAsDecode(t, g, rows, opt)
		off := opt
		off.DenoiseRate = 0
		if plain, _ := g.GenerateRows(context.Background(), rows, off); fmt.Sprint(plain) == fmt.Sprint(got) {
			t.Errorf("denoise rate %v changed nothing", opt.DenoiseRate)
		}
	}
	for _, c := range []struct {
		g    *Generator
		opt  Options
		want string
	}{
		{g, Options{DenoiseRate: 1.5}, "outside (0, 1]"},
		{g, Options{DenoiseRate: -0.1}, "outside (0, 1]"},
		{g, Options{DenoiseRate: 0.5, Sampler: diffuseq.SamplerDPMSolver}, "ancestral samplers only"},
		{v1, Options{DenoiseRate: 0.5}, "needs a DiffuSeq-v2 model"},
	} {
		if _, err := c.g.GenerateRows(context.Background(), rows, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.opt, err, c.want)
		}
	}
	if _, err := g.GenerateRows(context.Background(), rows, Options{DDIM: true, Steps: 5}); err == nil || !strings.Contains(err.Error(), "v2") {
		t.Fatalf("reference DDIM with v2: %v", err)
	}
	if _, err := NewV2(m, tok, diffuseq.DefaultConfig(), []float32{1, 2}); err == nil || !strings.Contains(err.Error(), "d = 8") {
		t.Fatalf("bad mean_embed: %v", err)
	}
}
