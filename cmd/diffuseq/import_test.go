package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/torchpt"
	"github.com/google/go-cmp/cmp"
)

func ptFile(t *testing.T, name string) string {
	return filepath.Join(testenv.Root(t), "testdata", "torchpt", name)
}

// TestImportTinyModel converts the official tiny model and checks every
// tensor against the fixture's param/* values, the dropped tie, and the
// inferred config.
func TestImportTinyModel(t *testing.T) {
	fx, err := safetensors.ReadFile(testenv.Shared(t, "fixtures", "diffuseq-tiny.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "tiny.safetensors")
	code, stdout, stderr := runCLI(t, "import", ptFile(t, "diffuseq-tiny-model.pt"), "--out", out, "--heads", "2", "--seq-len", "12")
	if code != 0 {
		t.Fatalf("code %d, stderr %s", code, stderr)
	}
	if !strings.Contains(stdout, "V=50 d=16 d_t=16 H=32 layers=2 heads=2 FFN=128 positions=512 seq_len=12") {
		t.Errorf("stdout %q", stdout)
	}
	got, err := safetensors.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range fx.Names() {
		pname, ok := strings.CutPrefix(name, "param/")
		if !ok {
			continue
		}
		if pname == "lm_head.weight" {
			if _, ok := got.Tensor(pname); ok {
				t.Error("lm_head.weight was written; the tie should store it once")
			}
			continue
		}
		n++
		want, _ := fx.Tensor(name)
		e, ok := got.Tensor(pname)
		if !ok {
			t.Errorf("%s missing", pname)
			continue
		}
		if e.DType != want.DType || !cmp.Equal(e.Shape, want.Shape) || !bytes.Equal(e.Data, want.Data) {
			t.Errorf("%s differs from the fixture", pname)
		}
	}
	if n != len(got.Names()) {
		t.Errorf("wrote %d tensors, want %d", len(got.Names()), n)
	}
	md := got.Metadata()
	if md["tied"] != "lm_head.weight=word_embedding.weight" || md["tied_source"] != "lm_head.weight" || md["tied_max_abs_diff"] != "0" || md["format"] != "diffuseq-go/model" {
		t.Errorf("metadata %v", md)
	}
	var cfg modelConfig
	if err := json.Unmarshal([]byte(md["config"]), &cfg); err != nil {
		t.Fatal(err)
	}
	want := modelConfig{VocabSize: 50, HiddenDim: 16, HiddenTDim: 16, HiddenSize: 32, NumHiddenLayers: 2, NumAttentionHeads: 2,
		IntermediateSize: 128, MaxPositionEmbeddings: 512, SeqLen: 12, LayerNormEps: 1e-12, Dropout: 0.1, AttnDropout: 0.1}
	if cfg != want {
		t.Errorf("config %+v, want %+v", cfg, want)
	}
	// The model package loads the imported file as is (config from the
	// metadata, tie resolved), and its embedding is the fixture's.
	m, _, err := model.Load(out)
	if err != nil {
		t.Fatalf("model.Load of the imported checkpoint: %v", err)
	}
	wantE, _, _ := fx.Float32("param/word_embedding.weight")
	if !cmp.Equal(m.WordEmbedding.Data(), wantE) {
		t.Error("model.Load: word embedding differs from the fixture")
	}
	// Same input, same bytes (source hash and all).
	out2 := filepath.Join(t.TempDir(), "again.safetensors")
	if code, _, stderr := runCLI(t, "import", "--heads=2", "--seq-len=12", "--out", out2, ptFile(t, "diffuseq-tiny-model.pt")); code != 0 {
		t.Fatal(stderr)
	}
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(out2)
	if !bytes.Equal(a, b) {
		t.Error("import is not deterministic")
	}
}

// TestImportEMAQuirk: an ema_*.pt carries the EMA embedding under
// word_embedding.weight and the raw one under lm_head.weight (reference
// 2.8). By default import keeps what PyTorch's loader keeps (lm_head);
// --ema keeps the EMA copy. Either way one matrix is stored.
func TestImportEMAQuirk(t *testing.T) {
	exp, err := safetensors.ReadFile(ptFile(t, "diffuseq-tiny-ema.expected.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _, _ := exp.Float32("lm_head.weight")
	emaW, _, _ := exp.Float32("word_embedding.weight")
	bias, _, _ := exp.Float32("lm_head.bias")
	dir := t.TempDir()
	// Copy under the reference's file name so step and rate are recorded.
	src := filepath.Join(dir, "ema_0.9999_050000.pt")
	data, err := os.ReadFile(ptFile(t, "diffuseq-tiny-ema.pt"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(src, data, 0o644)

	for _, c := range []struct {
		flags  []string
		want   []float32
		source string
	}{
		{nil, raw, "lm_head.weight"},
		{[]string{"--ema"}, emaW, "word_embedding.weight"},
	} {
		out := filepath.Join(dir, "out.safetensors")
		args := append([]string{"import", src, "--out", out, "--heads", "4", "--seq-len", "12"}, c.flags...)
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: %s", c.flags, stderr)
		}
		f, err := safetensors.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		got, _, _ := f.Float32("word_embedding.weight")
		if !cmp.Equal(got, c.want) {
			t.Errorf("%v: word_embedding.weight is not %s", c.flags, c.source)
		}
		if b, _, _ := f.Float32("lm_head.bias"); !cmp.Equal(b, bias) {
			t.Errorf("%v: lm_head.bias differs", c.flags)
		}
		md := f.Metadata()
		if md["tied_source"] != c.source || md["tied_max_abs_diff"] == "0" || md["step"] != "50000" || md["ema_rate"] != "0.9999" {
			t.Errorf("%v: metadata %v", c.flags, md)
		}
	}
	// Default output name: FILE.pt → FILE.safetensors.
	if code, _, stderr := runCLI(t, "import", src, "--heads", "2", "--seq-len", "12"); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "ema_0.9999_050000.safetensors")); err != nil {
		t.Error(err)
	}
}

// TestImportErrors: bad input gets one line naming the file and problem.
func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.safetensors")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{ptFile(t, "evil.pt")}, `evil.pt: data.pkl offset`},
		{[]string{ptFile(t, "edge.pt")}, `edge.pt: no tensor "word_embedding.weight"`},
		{[]string{ptFile(t, "legacy.pt")}, "legacy.pt: this is a legacy"},
		{[]string{filepath.Join(dir, "missing.pt")}, "missing.pt: no such file"},
		{[]string{ptFile(t, "diffuseq-tiny-model.pt"), "--heads", "5"}, "--heads 5 does not divide hidden_size 32"},
		{[]string{ptFile(t, "diffuseq-tiny-model.pt"), "--heads", "2", "--seq-len", "513"}, "--seq-len 513 is outside 1..512"},
		{[]string{ptFile(t, "diffuseq-tiny-model.pt"), "--out", ptFile(t, "diffuseq-tiny-model.pt")}, "would overwrite the input"},
	}
	for _, c := range cases {
		args := append([]string{"import", "--out", out}, c.args...)
		code, _, stderr := runCLI(t, args...)
		if code != 1 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: code %d, stderr %q, want %q", c.args, code, stderr, c.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed import left an output file")
	}
	if code, _, stderr := runCLI(t, "import"); code != 1 || !strings.Contains(stderr, "usage: diffuseq import") {
		t.Errorf("no args: code %d stderr %q", code, stderr)
	}
}

// TestCheckLayout: a state dict with a wrong shape or a stray key is
// rejected with the key named.
func TestCheckLayout(t *testing.T) {
	cfg := modelConfig{VocabSize: 5, HiddenDim: 2, HiddenTDim: 2, HiddenSize: 4, NumHiddenLayers: 1, IntermediateSize: 8, MaxPositionEmbeddings: 6}
	shapes := expectedShapes(cfg)
	names := []string{}
	for n := range shapes {
		names = append(names, n)
	}
	look := func(m map[string][]int) shapeLookup {
		return func(n string) ([]int, bool) { s, ok := m[n]; return s, ok }
	}
	if err := checkLayout(cfg, names, look(shapes)); err != nil {
		t.Fatal(err)
	}
	got, err := inferConfig(look(shapes))
	if err != nil || got.NumHiddenLayers != 1 || got.IntermediateSize != 8 || got.HiddenSize != 4 {
		t.Fatalf("inferConfig = %+v, %v", got, err)
	}
	bad := map[string][]int{}
	for k, v := range shapes {
		bad[k] = v
	}
	bad["lm_head.bias"] = []int{4}
	bad["extra.weight"] = []int{1}
	err = checkLayout(cfg, append(names, "extra.weight"), look(bad))
	if err == nil || !strings.Contains(err.Error(), `"lm_head.bias" has shape [4], want [5]`) || !strings.Contains(err.Error(), `unexpected tensor "extra.weight"`) {
		t.Errorf("err = %v", err)
	}
	delete(bad, "LayerNorm.bias")
	if err := checkLayout(cfg, names, look(bad)); err == nil || !strings.Contains(err.Error(), `missing tensor "LayerNorm.bias"`) {
		t.Errorf("missing: err = %v", err)
	}
	// Without up/down projections when d == H (reference 2.2).
	cfg.HiddenDim = 4
	if _, ok := expectedShapes(cfg)["input_up_proj.0.weight"]; ok {
		t.Error("d == H should have no input_up_proj")
	}
}

// TestPaperParamCount: the layout for the paper configuration holds the
// reference's 91,225,274 unique trainable parameters (reference 2.7: E
// counted once, position_ids is a buffer).
func TestPaperParamCount(t *testing.T) {
	cfg := modelConfig{VocabSize: 30522, HiddenDim: 128, HiddenTDim: 128, HiddenSize: 768, NumHiddenLayers: 12,
		IntermediateSize: 3072, MaxPositionEmbeddings: 512}
	total := 0
	for name, s := range expectedShapes(cfg) {
		if name == "position_ids" || name == "lm_head.weight" {
			continue
		}
		n := 1
		for _, d := range s {
			n *= d
		}
		total += n
	}
	if total != 91225274 {
		t.Errorf("paper config has %d parameters, reference says 91,225,274", total)
	}
	cfg.LearnedMeanEmbed = true
	if _, ok := expectedShapes(cfg)["mean_embed"]; !ok {
		t.Error("v2 mean_embed missing")
	}
}

// TestToF32Bytes: weights in other float dtypes become float32 as
// load_state_dict would make them; integers and non-finite values are
// refused with the tensor named.
func TestToF32Bytes(t *testing.T) {
	want := []float32{1, -2, 0.5}
	for _, tn := range []*torchpt.Tensor{
		{Name: "h", DType: "F16", Shape: []int{3}, Data: []byte{0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38}},
		{Name: "b", DType: "BF16", Shape: []int{3}, Data: []byte{0x80, 0x3f, 0x00, 0xc0, 0x00, 0x3f}},
		{Name: "d", DType: "F64", Shape: []int{3}, Data: safetensors.F64("", nil, []float64{1, -2, 0.5}).Data},
		{Name: "f", DType: "F32", Shape: []int{3}, Data: safetensors.F32("", nil, want).Data},
	} {
		b, err := toF32Bytes(tn)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := safetensors.DecodeFloat32("F32", b)
		if !cmp.Equal(got, want) {
			t.Errorf("%s: %v", tn.DType, got)
		}
	}
	bad := []struct {
		t    *torchpt.Tensor
		want string
	}{
		{&torchpt.Tensor{Name: "i", DType: "I64", Shape: []int{1}, Data: make([]byte, 8)}, `"i" is I64`},
		{&torchpt.Tensor{Name: "n", DType: "F32", Shape: []int{2}, Data: safetensors.F32("", nil, []float32{0, float32(math.NaN())}).Data}, `"n" holds NaN at flat index 1`},
		{&torchpt.Tensor{Name: "inf", DType: "F16", Shape: []int{1}, Data: []byte{0x00, 0x7c}}, `"inf" holds +Inf`},
	}
	for _, c := range bad {
		if _, err := toF32Bytes(c.t); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want %q", err, c.want)
		}
	}
}
