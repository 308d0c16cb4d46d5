package generate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func loadTiny(t *testing.T) *Generator {
	t.Helper()
	g, err := Load(writeTinyRun(t), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestLoadReadsRunSettings(t *testing.T) {
	dir := writeTinyRun(t)
	g, err := Load(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g.DiffusionSteps() != tinyDiffSteps || g.SeqLen() != 16 || g.DataDir() != filepath.Join(dir, "data") {
		t.Fatalf("K = %d, L = %d, data %q", g.DiffusionSteps(), g.SeqLen(), g.DataDir())
	}
	if g, err = Load(dir, LoadOptions{DiffusionSteps: 20, NoiseSchedule: "linear"}); err != nil || g.DiffusionSteps() != 20 {
		t.Fatalf("override: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := writeTinyRun(t)
	// An imported-style file: model weights and config, no vocabulary.
	m, _ := tinyModel(t)
	bare := filepath.Join(t.TempDir(), "imported.safetensors")
	if err := model.Save(bare, m, nil); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "small.txt"), "one\ntwo\n")
	for _, c := range []struct {
		path string
		opt  LoadOptions
		want string
	}{
		{filepath.Join(dir, "nope"), LoadOptions{}, "no such file"},
		{filepath.Join(dir, "data"), LoadOptions{}, "not a run folder"},
		{bare, LoadOptions{}, "--vocab"},
		{dir, LoadOptions{Vocab: filepath.Join(dir, "small.txt")}, "vocabulary has 6 tokens but the model was trained with 22"},
		{dir, LoadOptions{Vocab: filepath.Join(dir, "missing.txt")}, "missing.txt"},
	} {
		_, err := Load(c.path, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s, %+v) = %v, want an error containing %q", c.path, c.opt, err, c.want)
		}
	}
	// With the vocabulary the imported file loads, with the default process.
	g, err := Load(bare, LoadOptions{Vocab: filepath.Join(dir, "vocab.txt")})
	if err != nil || g.DiffusionSteps() != 2000 {
		t.Fatalf("imported: %v", err)
	}
}

// decodeDirect runs diffuseq.Decode batch by batch on one RNG, the
// reference flow with no generate code in between.
func decodeDirect(t *testing.T, g *Generator, rows []Row, bsz int, seed uint64, opt Options) [][]int {
	t.Helper()
	rng := tensor.NewRNG(seed)
	den := NewDenoiser(g.model)
	l := g.SeqLen()
	var out [][]int
	for lo := 0; lo < len(rows); lo += bsz {
		hi := min(lo+bsz, len(rows))
		in := diffuseq.DecodeInputs{B: hi - lo, L: l, Emb: g.model.WordEmbedding.Value, Bias: g.model.LMHeadBias.Value,
			Noise: rng, TopP: opt.TopP, ClampStep: opt.ClampStep, MeanEmbed: g.meanEmbed, DenoiseRate: opt.DenoiseRate}
		if opt.DDIM {
			in.Step = opt.Steps
		}
		in.Sampler, in.Steps = opt.Sampler, 0
		if opt.Sampler != diffuseq.SamplerReference {
			in.Steps = opt.Steps
		}
		for _, r := range rows[lo:hi] {
			in.InputIDs = append(in.InputIDs, r.InputIDs...)
			in.Mask = append(in.Mask, r.Mask...)
		}
		tokens, _, err := g.diffusion.Decode(den, in)
		if err != nil {
			t.Fatal(err)
		}
		for i := range hi - lo {
			lenX := sourceLen(rows[lo+i].Mask)
			out = append(out, tokens[i*l+lenX:(i+1)*l])
		}
	}
	return out
}

func TestMatchesDiffuseqDecode(t *testing.T) {
	g := loadTiny(t)
	rows := g.Rows(testSources)
	for _, opt := range []Options{
		{Seed: 7, BatchSize: 2},
		{Seed: 8, BatchSize: 5, TopP: 1.5, ClampStep: 10},
		{Seed: 9, BatchSize: 3, DDIM: true, Steps: 10},
		{Seed: 9, BatchSize: 3, DDIM: true, Steps: 4}, // even gap: t = 0 never visited
		{Seed: 10, BatchSize: 4, Steps: tinyDiffSteps, TraceEvery: 7},
	} {
		got := generateSameAsDecode(t, g, rows, opt)
		for i := range rows {
			if got[i].Text != g.Tokenizer().Decode(got[i].Tokens) {
				t.Fatalf("row %d: text %q", i, got[i].Text)
			}
		}
	}
}

func TestRowsFollowJoin(t *testing.T) {
	g := loadTiny(t)
	r := g.Rows([]string{"the cat sat"})[0]
	// [START] the cat sat [END] [END](sep) | [START] [END] [PAD]…
	want := []int{0, 4, 6, 10, 1, 1, 0, 1, 3, 3, 3, 3, 3, 3, 3, 3}
	if !slices.Equal(r.InputIDs, want) || sourceLen(r.Mask) != 6 {
		t.Fatalf("ids %v mask %v", r.InputIDs, r.Mask)
	}
	// A long source is cut to L − 5 = 11 words.
	long := g.Rows([]string{strings.Repeat("the cat ", 10)})[0]
	if n := sourceLen(long.Mask); n != 11+3 || long.InputIDs[12] != 1 || long.InputIDs[13] != 1 {
		t.Fatalf("long source: ids %v mask %v", long.InputIDs, long.Mask)
	}
	res, err := g.Generate(context.Background(), []string{"the cat sat"}, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Source != "[START] the cat sat [END] [END]" || res[0].Reference != "" || len(res[0].Tokens) != 10 {
		t.Fatalf("%+v", res[0])
	}
}

func TestSeeds(t *testing.T) {
	g := loadTiny(t)
	run := func(seed uint64) []Result {
		res, err := g.Generate(context.Background(), testSources, Options{Seed: seed, BatchSize: 2, Steps: 20})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b, c := run(1), run(1), run(2)
	differ := false
	for i := range a {
		if !slices.Equal(a[i].Tokens, b[i].Tokens) || a[i].Text != b[i].Text {
			t.Fatalf("seed 1 twice, row %d: %v vs %v", i, a[i].Tokens, b[i].Tokens)
		}
		differ = differ || !slices.Equal(a[i].Tokens, c[i].Tokens)
	}
	if !differ {
		t.Fatal("seeds 1 and 2 gave identical outputs for every row")
	}
}

func TestConcurrentMatchesSerial(t *testing.T) {
	g := loadTiny(t)
	opts := []Options{{Seed: 1, Steps: 10}, {Seed: 2, Steps: 10, TraceEvery: 3}, {Seed: 3, DDIM: true, Steps: 5}, {Seed: 4, Steps: 10, BatchSize: 2},
		{Seed: 5, Sampler: diffuseq.SamplerDPMSolver, TraceEvery: 2}}
	serial := make([][]Result, len(opts))
	for i, o := range opts {
		res, err := g.Generate(context.Background(), testSources, o)
		if err != nil {
			t.Fatal(err)
		}
		serial[i] = res
	}
	parallel := make([][]Result, len(opts))
	errs := make([]error, len(opts))
	var wg sync.WaitGroup
	for i, o := range opts {
		wg.Go(func() { parallel[i], errs[i] = g.Generate(context.Background(), testSources, o) })
	}
	wg.Wait()
	for i := range opts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if fmt.Sprint(serial[i]) != fmt.Sprint(parallel[i]) {
			t.Fatalf("options %+v: concurrent result differs from serial", opts[i])
		}
	}
}

func TestCancellation(t *testing.T) {
	g := loadTiny(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Generate(ctx, testSources, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: %v", err)
	}
	// Cancel from inside the run (after the third traced step): the call
	// stops before the next reverse step.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	frames := 0
	_, err := g.Generate(ctx, testSources, Options{TraceEvery: 1, BatchSize: 5, Trace: func(i int, f Frame) {
		if i == 0 {
			frames++
			if frames == 4 {
				cancel()
			}
		}
	}})
	if !errors.Is(err, context.Canceled) || frames != 4 {
		t.Fatalf("cancelled during: err %v after %d frames of row 0", err, frames)
	}
}

func TestPlans(t *testing.T) {
	g := loadTiny(t)
	for _, c := range []struct {
		opt    Options
		labels []int // trace labels with TraceEvery = 1
	}{
		{Options{Steps: 5}, []int{50, 49, 37, 24, 12, 0}}, // respaced: SpaceTimesteps(50, "5")
		{Options{Steps: 5, DDIM: true}, []int{50, 49, 39, 29, 19, 9}},
		{Options{Steps: 2}, []int{50, 49, 0}},
	} {
		c.opt.TraceEvery = 1
		res, err := g.Generate(context.Background(), testSources[:1], c.opt)
		if err != nil {
			t.Fatal(err)
		}
		var labels []int
		for _, f := range res[0].Trajectory {
			labels = append(labels, f.T)
		}
		if !slices.Equal(labels, c.labels) {
			t.Errorf("%+v: trace at %v, want %v", c.opt, labels, c.labels)
		}
		if last := res[0].Trajectory[len(res[0].Trajectory)-1]; !slices.Equal(last.Tokens, res[0].Tokens) {
			t.Errorf("%+v: last frame %v, result %v", c.opt, last.Tokens, res[0].Tokens)
		}
	}
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Steps: 51}, "steps 51 outside [0, 50]"},
		{Options{Steps: 1}, "at least 2 steps"},
		{Options{DDIM: true}, "DDIM needs steps N < 50"},
		{Options{BatchSize: -1}, "batch size -1"},
		{Options{TraceEvery: -2}, "trace every -2"},
		{Options{ClampStep: -1}, "clamp step -1"},
	} {
		if _, err := g.Generate(context.Background(), testSources[:1], c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err %v, want %q", c.opt, err, c.want)
		}
	}
	bad := g.Rows(testSources[:1])
	bad[0].InputIDs[2] = 99
	if _, err := g.GenerateRows(context.Background(), bad, Options{}); err == nil || !strings.Contains(err.Error(), "token id 99") {
		t.Errorf("bad id: %v", err)
	}
}

func TestProgress(t *testing.T) {
	g := loadTiny(t)
	var got []Progress
	_, err := g.Generate(context.Background(), testSources, Options{Steps: 4, BatchSize: 2, Progress: func(p Progress) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	// 3 batches (2, 2, 1 rows) × 4 steps.
	if len(got) != 12 {
		t.Fatalf("%d calls: %+v", len(got), got)
	}
	prev := 0.0
	for _, p := range got {
		if p.Total != 5 || p.Steps != 4 || p.Rows() <= prev {
			t.Fatalf("%+v after %v rows", p, prev)
		}
		prev = p.Rows()
	}
	if last := got[11]; last != (Progress{Done: 4, Total: 5, Batch: 1, Step: 4, Steps: 4}) || last.Rows() != 5 {
		t.Fatalf("last %+v", last)
	}
}

// TestNamedSamplers: every named sampler gives what diffuseq.Decode gives
// with the same Sampler and Steps on the same noise; "ancestral" is the
// respaced path of Options.Steps.
func TestNamedSamplers(t *testing.T) {
	g := loadTiny(t)
	rows := g.Rows(testSources)
	for _, opt := range []Options{
		{Seed: 3, BatchSize: 2, Sampler: diffuseq.SamplerAncestral, Steps: 10, ClampStep: 3, TopP: 2},
		{Seed: 4, BatchSize: 3, Sampler: diffuseq.SamplerDDIM, Steps: 7},
		{Seed: 5, BatchSize: 5, Sampler: diffuseq.SamplerDPMSolver, TraceEvery: 3},
		{Seed: 6, BatchSize: 4, Sampler: diffuseq.SamplerDPMSolverReference, Steps: 6},
	} {
		var progress []Progress
		opt.Progress = func(p Progress) { progress = append(progress, p) }
		got, err := g.GenerateRows(context.Background(), rows, opt)
		if err != nil {
			t.Fatalf("%s: %v", opt.Sampler, err)
		}
		want := decodeDirect(t, g, rows, opt.BatchSize, opt.Seed, opt)
		for i := range rows {
			if !slices.Equal(got[i].Tokens, want[i]) {
				t.Fatalf("%s row %d: Generate %v, Decode %v", opt.Sampler, i, got[i].Tokens, want[i])
			}
		}
		last := progress[len(progress)-1]
		if last.Rows() != float64(len(rows)) || last.Steps != max(opt.Steps, 10*boolInt(opt.Steps == 0)) {
			t.Fatalf("%s: last progress %+v", opt.Sampler, last)
		}
		if opt.TraceEvery > 0 {
			tr := got[0].Trajectory
			if len(tr) != 1+4 || tr[0].T != tinyDiffSteps || !slices.Equal(tr[len(tr)-1].Tokens, got[0].Tokens) {
				t.Fatalf("%s: trace %+v", opt.Sampler, tr)
			}
		}
	}
	a, err := g.GenerateRows(context.Background(), rows, Options{Seed: 3, Sampler: diffuseq.SamplerAncestral, Steps: 10})
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.GenerateRows(context.Background(), rows, Options{Seed: 3, Steps: 10})
	if err != nil || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("sampler ancestral and Steps 10 differ (%v)", err)
	}
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Sampler: "nope"}, `unknown sampler "nope"`},
		{Options{Sampler: diffuseq.SamplerDDIM, DDIM: true, Steps: 5}, "exclude each other"},
		{Options{Sampler: diffuseq.SamplerDDIM, Steps: 1}, "at least 2 steps"},
	} {
		if _, err := g.GenerateRows(context.Background(), rows, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opt, err, c.want)
		}
	}
	// Cancellation inside a named sampler's loop.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err = g.GenerateRows(ctx, rows, Options{Sampler: diffuseq.SamplerDDIM, Steps: 20, Progress: func(p Progress) {
		calls++
		if p.Step == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || calls != 3 {
		t.Fatalf("cancelled: %v after %d progress calls", err, calls)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
