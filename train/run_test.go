package train

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/synth"
	"github.com/diffuseq-go/diffuseq/text"
)

// tinyRun writes a small synthetic corpus and returns a config that trains
// the tiny model on it in well under a second per step.
func tinyRun(t *testing.T) (Config, text.Tokenizer) {
	t.Helper()
	dataDir := t.TempDir()
	corpus, err := synth.Generate(synth.Config{Seed: 1, TrainSize: 64, ValidSize: 16, TestSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	if err := corpus.WriteDir(dataDir); err != nil {
		t.Fatal(err)
	}
	tok, err := text.Load(filepath.Join(dataDir, synth.VocabFile))
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.DataDir, cfg.Model = dataDir, "tiny"
	cfg.HiddenSize, cfg.Intermediate, cfg.HiddenDim, cfg.HiddenTDim = 32, 64, 16, 16
	cfg.SeqLen, cfg.DiffSteps, cfg.Bsz, cfg.Microbatch = 24, 100, 8, 4
	cfg.LearningSteps, cfg.SaveInterval, cfg.LogInterval, cfg.EvalInterval = 6, 3, 2, 4
	return cfg, tok
}

func paramsOf(tr *Trainer) map[string][]float32 {
	out := map[string][]float32{}
	for _, p := range tr.Model.Params() {
		out[p.Name] = append([]float32(nil), p.Data()...)
	}
	return out
}

// TestResumeIsBitIdentical trains 6 updates straight, and 3 + resume + 3
// from the checkpoint, and requires the same weights, optimizer state and
// log rows bit for bit.
func TestResumeIsBitIdentical(t *testing.T) {
	cfg, tok := tinyRun(t)
	testResume(t, cfg, tok)
}

// TestResumeIsBitIdenticalV2 does the same for a DiffuSeq-v2 run (learned
// absorbing state owned by the model, discrete noise).
func TestResumeIsBitIdenticalV2(t *testing.T) {
	cfg, tok := tinyRun(t)
	cfg.LearnedMeanEmbed, cfg.Denoise, cfg.DenoiseRate, cfg.RegRate = true, true, 0.5, 0.01
	testResume(t, cfg, tok)
}

func testResume(t *testing.T, cfg Config, tok text.Tokenizer) {

	dirA := t.TempDir()
	a, err := New(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Run(context.Background(), RunOptions{Dir: dirA, VocabMode: "vocab.txt", NoSync: true}); err != nil {
		t.Fatal(err)
	}

	dirB := t.TempDir()
	copyFile(t, filepath.Join(cfg.DataDir, synth.VocabFile), filepath.Join(dirB, VocabFile))
	b, err := New(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Run(context.Background(), RunOptions{Dir: dirB, VocabMode: "vocab.txt", NoSync: true, StopAfter: 3}); err != nil {
		t.Fatal(err)
	}
	if b.StepCount() != 3 {
		t.Fatalf("stopped after %d updates, want 3", b.StepCount())
	}
	c, _, err := Resume(dirB, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.StepCount() != 3 {
		t.Fatalf("resumed at %d, want 3", c.StepCount())
	}
	if err := c.Run(context.Background(), RunOptions{Dir: dirB, VocabMode: "vocab.txt", NoSync: true}); err != nil {
		t.Fatal(err)
	}
	pa, pc := paramsOf(a), paramsOf(c)
	if _, ok := pa["mean_embed"]; ok != cfg.LearnedMeanEmbed {
		t.Fatalf("mean_embed among the parameters: %v, want %v", ok, cfg.LearnedMeanEmbed)
	}
	for name, va := range pa {
		vc := pc[name]
		for i := range va {
			if va[i] != vc[i] {
				t.Fatalf("%s[%d]: straight %v, resumed %v", name, i, va[i], vc[i])
			}
		}
	}
	sa, sc := a.Opt.State(), c.Opt.State()
	for k, va := range sa.Tensors {
		for i, v := range va {
			if sc.Tensors[k][i] != v {
				t.Fatalf("optimizer %s[%d] differs after resume", k, i)
			}
		}
	}
	// The loss columns of the logs agree too (timing columns differ).
	la, lc := lossColumns(t, dirA), lossColumns(t, dirB)
	if strings.Join(la, "\n") != strings.Join(lc, "\n") {
		t.Fatalf("logs differ:\n%s\n---\n%s", strings.Join(la, "\n"), strings.Join(lc, "\n"))
	}
}

func lossColumns(t *testing.T, dir string) []string {
	b, err := os.ReadFile(filepath.Join(dir, "log.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, ",")
		out = append(out, strings.Join(f[:min(len(f), 6)], ","))
	}
	return out
}

func copyFile(t *testing.T, from, to string) {
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLossDecreasesOnTinyTask(t *testing.T) {
	if testing.Short() {
		t.Skip("training run")
	}
	cfg, tok := tinyRun(t)
	cfg.LR, cfg.LearningSteps, cfg.ScheduleSampler = 1e-3, 60, "uniform"
	tr, err := New(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	var first, last float64
	for i := 0; i < cfg.LearningSteps; i++ {
		r, err := tr.Step()
		if err != nil {
			t.Fatal(err)
		}
		if i < 5 {
			first += mean(r.Loss) / 5
		}
		if i >= cfg.LearningSteps-5 {
			last += mean(r.Loss) / 5
		}
	}
	if !(last < 0.7*first) {
		t.Fatalf("loss went from %.3f to %.3f in %d updates; want a drop of 30%%", first, last, cfg.LearningSteps)
	}
	t.Logf("loss %.3f → %.3f", first, last)
}

func TestNaNStopsTraining(t *testing.T) {
	cfg, tok := tinyRun(t)
	tr, err := New(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	tr.Model.UpProj0W.Data()[0] = float32(math.NaN())
	_, err = tr.Step()
	if err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("want a NaN error, got %v", err)
	}
}

// TestLoadWeightsEMA loads the live weights and the EMA copies of two
// rates (whose names hold dots) from a trainer checkpoint.
func TestLoadWeightsEMA(t *testing.T) {
	cfg, tok := tinyRun(t)
	cfg.EMARate, cfg.LearningSteps = "0.9999,0.5", 2
	tr, err := New(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyFile(t, filepath.Join(cfg.DataDir, synth.VocabFile), filepath.Join(dir, VocabFile))
	if err := tr.Run(context.Background(), RunOptions{Dir: dir, VocabMode: VocabFile, NoSync: true}); err != nil {
		t.Fatal(err)
	}
	emas := tr.Opt.EMAs()
	for _, c := range []struct {
		weights string
		want    []float32
	}{
		{"live", tr.Model.WordEmbedding.Data()},
		{"ema", emas[0].Values[0]},
		{"ema_0.9999", emas[0].Values[0]},
		{"ema_0.5", emas[1].Values[0]},
	} {
		m, gotTok, err := LoadWeights(dir, c.weights)
		if err != nil {
			t.Fatalf("%s: %v", c.weights, err)
		}
		if gotTok == nil || gotTok.VocabSize() != tok.VocabSize() {
			t.Fatalf("%s: tokenizer not restored", c.weights)
		}
		got := m.WordEmbedding.Data()
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("%s: word_embedding[%d] = %v, want %v", c.weights, i, got[i], c.want[i])
			}
		}
	}
	if _, _, err := LoadWeights(dir, "ema_0.7"); err == nil {
		t.Fatal("loading a rate the run does not have succeeded")
	}
}

// TestSecondTrainerOnOneFolderIsRefused: while a run folder is locked by
// one trainer, another Run on it fails with a clear message.
func TestSecondTrainerOnOneFolderIsRefused(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	cfg, tok := tinyRun(t)
	tr, err := New(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Run(context.Background(), RunOptions{Dir: dir, VocabMode: VocabFile, NoSync: true})
	if err == nil || !strings.Contains(err.Error(), "in use by another training process") {
		t.Fatalf("second trainer: %v", err)
	}
}
