package generate

// Parity with the official PyTorch code through the whole generate path:
// the fixture's tiny model, its vocabulary and example pairs (data.Load →
// DatasetRows), the recorded N(0, 1) draws replayed through
// Options.Noise, and the reference's final tokens and decoded strings.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/internal/testenv"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/text"
)

type fixtureManifest struct {
	Vocab   []string       `json:"vocab"`
	Pairs   []data.Example `json:"pairs"`
	Decoded struct {
		Sample10, Sample2000, DDIM200 []string
		ReferenceSrc                  []string `json:"reference_src"`
		ReferenceTrg                  []string `json:"reference_trg"`
	} `json:"decoded"`
}

// replay hands out recorded draws in order: each FillNormal call takes
// the next len(x) values.
type replay struct {
	t    *testing.T
	vals []float32
	next int
}

func (r *replay) FillNormal(x []float32, mean, std float32) {
	if r.next+len(x) > len(r.vals) {
		r.t.Fatalf("draw of %d values beyond the %d recorded", len(x), len(r.vals))
	}
	copy(x, r.vals[r.next:])
	r.next += len(x)
}

func TestReferenceParity(t *testing.T) {
	f, err := safetensors.ReadFile(testenv.Shared(t, "fixtures", "diffuseq-tiny.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(testenv.Shared(t, "fixtures", "diffuseq-tiny.manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man fixtureManifest
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	tok, err := text.NewCustomVocab(man.Vocab[4:])
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(model.Config{VocabSize: 50, HiddenDim: 16, HiddenTDim: 16, HiddenSize: 32, Layers: 2, Heads: 2,
		Intermediate: 128, MaxPositions: 512, Dropout: 0.1, AttnDropout: 0.1, LayerNormEps: 1e-12, SeqLen: 12}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.LoadStateDict(f, "param/"); err != nil {
		t.Fatal(err)
	}
	g, err := New(m, tok, diffuseq.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	floats := func(name string) []float32 {
		v, _, err := f.Float32(name)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ints := func(name string) []int {
		v, _, err := f.Int64(name)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int, len(v))
		for i, x := range v {
			out[i] = int(x)
		}
		return out
	}

	// The rows, built from the raw pairs the reference's way.
	var jl strings.Builder
	for _, p := range man.Pairs {
		line, _ := json.Marshal(map[string]string{"src": p.Src, "trg": p.Trg})
		jl.Write(append(line, '\n'))
	}
	path := filepath.Join(t.TempDir(), "pairs.jsonl")
	writeFile(t, path, jl.String())
	ds, err := data.Load(path, tok, data.Options{SeqLen: 12})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := DatasetRows(ds)
	if err != nil {
		t.Fatal(err)
	}
	var ids, mask []int
	for _, r := range rows {
		ids, mask = append(ids, r.InputIDs...), append(mask, r.Mask...)
	}
	if !slices.Equal(ids, ints("data/input_ids")) || !slices.Equal(mask, ints("data/input_mask")) {
		t.Fatalf("rows %v / %v differ from the reference's", ids, mask)
	}

	for _, c := range []struct {
		name    string
		opt     Options
		noise   []float32 // x_T's noise, then the step draws
		decoded []string
	}{
		{"sample10", Options{Steps: 10}, append(floats("sample10/init_noise"), floats("sample10/step_noise")...), man.Decoded.Sample10},
		{"ddim200", Options{DDIM: true, Steps: 200}, floats("ddim200/init_noise"), man.Decoded.DDIM200},
		{"sample2000", Options{}, append(floats("sample2000/init_noise"), floats("sample2000/step_noise")...), man.Decoded.Sample2000},
	} {
		if testing.Short() && c.name == "sample2000" {
			continue
		}
		c.opt.Noise = &replay{t: t, vals: c.noise}
		res, err := g.GenerateRows(context.Background(), rows, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		want := ints(c.name + "/final_tokens")
		for i, r := range res {
			lenX := sourceLen(rows[i].Mask)
			if !slices.Equal(r.Tokens, want[i*12+lenX:(i+1)*12]) {
				t.Errorf("%s row %d: tokens %v, reference %v", c.name, i, r.Tokens, want[i*12+lenX:(i+1)*12])
			}
			if got := strings.Join(strings.Fields(strings.NewReplacer("[START]", "", "[END]", "").Replace(r.Text)), " "); got != c.decoded[i] {
				t.Errorf("%s row %d: %q (raw %q), reference %q", c.name, i, got, r.Text, c.decoded[i])
			}
			if r.Source != man.Decoded.ReferenceSrc[i] || r.Reference != man.Decoded.ReferenceTrg[i] {
				t.Errorf("%s row %d: source %q, reference %q; want %q, %q", c.name, i, r.Source, r.Reference,
					man.Decoded.ReferenceSrc[i], man.Decoded.ReferenceTrg[i])
			}
		}
	}
}
