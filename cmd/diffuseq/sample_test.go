package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/diffuseq-go/diffuseq/generate"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/text"
)

var sampleWords = strings.Fields("the a cat dog man woman sat ran saw on mat park is was big small red fast")

// writeSampleRun saves a random tiny model as a run folder (checkpoint
// with the training config in its metadata, vocab.txt) with a data folder
// holding test.jsonl; diffusion steps are 50 to keep the tests fast.
func writeSampleRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	tok, err := text.NewCustomVocab(sampleWords)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(model.Config{VocabSize: tok.VocabSize(), HiddenDim: 8, HiddenTDim: 8, HiddenSize: 16, Layers: 1, Heads: 2,
		Intermediate: 32, MaxPositions: 32, Dropout: 0.1, AttnDropout: 0.1, LayerNormEps: 1e-12, SeqLen: 16}, 42)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(map[string]any{"diff_steps": 50, "noise_schedule": "sqrt", "data_dir": filepath.Join(dir, "data")})
	if err := model.Save(filepath.Join(dir, "checkpoint.safetensors"), m, map[string]string{"vocab_mode": "vocab.txt", "train_config": string(cfg)}); err != nil {
		t.Fatal(err)
	}
	if err := model.Save(filepath.Join(dir, "imported.safetensors"), m, nil); err != nil {
		t.Fatal(err)
	}
	writeSampleFile(t, filepath.Join(dir, "vocab.txt"), strings.Join(sampleWords, "\n")+"\n")
	writeSampleFile(t, filepath.Join(dir, "data", "test.jsonl"), `{"src": "the cat sat on the mat", "trg": "a cat was on a mat"}
{"src": "the man saw a dog", "trg": "a dog was big"}
{"src": "a woman ran", "trg": "the woman was fast"}
`)
	writeSampleFile(t, filepath.Join(dir, "bad.jsonl"), `{"src": "the cat", "trg": "a cat"}
{"src": "the cat"}
`)
	return dir
}

func writeSampleFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sampleJSONLines reads a file of JSON objects, keeping each line's key order.
func sampleJSONLines(t *testing.T, path string) (objs []map[string]any, keys [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		var order []string
		dec.Token()
		for dec.More() {
			k, _ := dec.Token()
			order = append(order, k.(string))
			var skip any
			dec.Decode(&skip)
		}
		objs, keys = append(objs, m), append(keys, order)
	}
	return objs, keys
}

func TestSampleSplitWritesReferenceAndOurFiles(t *testing.T) {
	run := writeSampleRun(t)
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"sample", "--model", run, "--split", "test", "--seed", "1,2,3", "--steps", "10", "--bsz", "2", "--out", out}
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("code %d\n%s", code, stderr)
	}
	if stdout != "" || !strings.Contains(stderr, "sentences/s") {
		t.Fatalf("stdout %q stderr %q", stdout, stderr)
	}
	first := map[string][]byte{}
	for _, seed := range []string{"1", "2", "3"} {
		ref := filepath.Join(out, "seed"+seed+"_step0.json")
		objs, keys := sampleJSONLines(t, ref)
		if len(objs) != 3 {
			t.Fatalf("%s: %d lines", ref, len(objs))
		}
		for i, k := range keys {
			if !reflect.DeepEqual(k, []string{"recover", "reference", "source"}) {
				t.Fatalf("%s:%d: keys %v", ref, i+1, k)
			}
		}
		if objs[1]["reference"] != "[START] a dog was big [END]" || objs[1]["source"] != "[START] the man saw a dog [END] [END]" {
			t.Fatalf("%s line 2: %v", ref, objs[1])
		}
		ours, _ := sampleJSONLines(t, filepath.Join(out, "seed"+seed+"_step0.samples.jsonl"))
		for i, o := range ours {
			if o["seed"] != sampleFloat(seed) || o["line"] != float64(i+1) || o["recover"] != objs[i]["recover"] ||
				o["sampler"] != "ancestral" || o["steps"] != float64(10) || len(o["tokens"].([]any)) != 16-sampleSourceLen(t, o) {
				t.Fatalf("ours line %d: %v", i+1, o)
			}
		}
		first[seed], _ = os.ReadFile(ref)
	}
	// Re-running replaces the files (no appended duplicates) with the same
	// bytes: the sample is a function of the seed.
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	for seed, b := range first {
		again, _ := os.ReadFile(filepath.Join(out, "seed"+seed+"_step0.json"))
		if string(again) != string(b) {
			t.Fatalf("seed %s: second run differs:\n%s\n%s", seed, b, again)
		}
	}
	if first["1"] != nil && string(first["1"]) == string(first["2"]) && string(first["2"]) == string(first["3"]) {
		t.Fatal("three seeds gave identical files")
	}
	// The folder is what `diffuseq eval --folder DIR --mbr` reads.
	code, stdout, stderr = runCLI(t, "eval", "--folder", out, "--mbr", "--json", "--sos", "[START]", "--eos", "[END]", "--sep", "[END]")
	if code != 0 {
		t.Fatalf("eval: %s", stderr)
	}
	var rep struct {
		Files []any `json:"files"`
		MBR   *struct {
			Candidates int `json:"candidates"`
		} `json:"mbr"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || len(rep.Files) != 3 || rep.MBR == nil || rep.MBR.Candidates != 3 {
		t.Fatalf("eval report %v: %s", err, stdout)
	}
}

func sampleFloat(s string) float64 {
	var f float64
	json.Unmarshal([]byte(s), &f)
	return f
}

// sampleSourceLen counts the source tokens of a line's "source" field.
func sampleSourceLen(t *testing.T, o map[string]any) int {
	return len(strings.Fields(o["source"].(string)))
}

func TestSampleStdin(t *testing.T) {
	run := writeSampleRun(t)
	saved := sampleStdin
	defer func() { sampleStdin = saved }()
	sampleStdin = strings.NewReader("the cat sat\n\na dog ran\n")
	code, stdout, stderr := runCLI(t, "sample", "--model", run, "--stdin", "--steps", "5", "--seed", "7,8")
	if code != 0 {
		t.Fatal(stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "7\t") || !strings.HasPrefix(lines[3], "8\t") {
		t.Fatalf("stdout %q", stdout)
	}
	for _, l := range lines {
		if strings.Contains(l, "[PAD]") || strings.Contains(l, "[START]") || strings.Contains(l, "[END]") {
			t.Fatalf("special token left in %q", l)
		}
	}
	sampleStdin = strings.NewReader("the cat sat\n")
	code, stdout, stderr = runCLI(t, "sample", "--model", run, "--stdin", "--json", "--steps", "5", "--trace", "2")
	if code != 0 {
		t.Fatal(stderr)
	}
	var o stdinLine
	if err := json.Unmarshal([]byte(stdout), &o); err != nil || o.Line != 1 || o.Seed != 101 || len(o.Tokens) != 10 {
		t.Fatalf("%v: %q", err, stdout)
	}
	// The trace goes to stderr when stdout carries the outputs.
	if !strings.Contains(stderr, "t=50 ▒▒") || !strings.Contains(stderr, "  t=0 ") {
		t.Fatalf("trace: %q", stderr)
	}
}

func TestSampleTraceHTML(t *testing.T) {
	run := writeSampleRun(t)
	page := filepath.Join(t.TempDir(), "trace.html")
	code, stdout, stderr := runCLI(t, "sample", "--model", run, "--limit", "2", "--trace", "10",
		"--trace-html", page, "--out", t.TempDir())
	if code != 0 {
		t.Fatal(stderr)
	}
	// Terminal trace: source, x_T, t = 40 … 0, output, per sentence.
	if n := strings.Count(stdout, "--- seed 101, sentence"); n != 2 || strings.Count(stdout, "t=50 ▒▒") != 2 {
		t.Fatalf("trace:\n%s", stdout)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), "<table>") != 2 || !strings.HasSuffix(string(b), "</html>\n") {
		t.Fatalf("page:\n%s", b)
	}
}

func TestSampleErrors(t *testing.T) {
	run := writeSampleRun(t)
	out := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "--model is required"},
		{[]string{"--model", filepath.Join(run, "nope")}, "no such file"},
		{[]string{"--model", run, "--seed", "1,x"}, `"x" is not a non-negative integer`},
		{[]string{"--model", run, "--seed", "3,3"}, "seed 3 given twice"},
		{[]string{"--model", run, "--bsz", "0"}, "--bsz 0"},
		{[]string{"--model", run, "--threads", "-1"}, "--threads -1"},
		{[]string{"--model", run, "--denoise-rate", "0.5"}, "needs a DiffuSeq-v2 model"},
		{[]string{"--model", run, "--ddim"}, "--ddim needs --steps"},
		{[]string{"--model", run, "--steps", "51"}, "steps 51 outside [0, 50]"},
		{[]string{"--model", run, "--ddim", "--steps", "50"}, "DDIM needs steps N < 50"},
		{[]string{"--model", run, "--sampler", "nope"}, `unknown sampler "nope"`},
		{[]string{"--model", run, "--sampler", "ddim", "--ddim", "--steps", "5"}, "exclude each other"},
		{[]string{"--model", run, "--split", "nope"}, `want valid, test or a FILE.jsonl`},
		{[]string{"--model", run, "--split", "valid"}, "valid.jsonl"},
		{[]string{"--model", run, "--split", filepath.Join(run, "bad.jsonl"), "--out", out}, "bad.jsonl:2"},
		{[]string{"--model", filepath.Join(run, "imported.safetensors")}, "--vocab"},
		{[]string{"--model", run, "--json"}, "--json applies to --stdin"},
		{[]string{"--model", run, "--stdin", "--out", out}, "--out is for --split"},
		{[]string{"--model", run, "extra"}, `unexpected argument "extra"`},
		{[]string{"--bogus"}, "flag provided but not defined"},
	} {
		code, _, stderr := runCLI(t, append([]string{"sample"}, c.args...)...)
		if code == 0 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "panic") {
			t.Errorf("sample %v: code %d, stderr %q, want %q", c.args, code, stderr, c.want)
		}
	}
}

func TestSampleProgressLine(t *testing.T) {
	var buf strings.Builder
	p := &sampleProgress{w: &buf, label: "seed 1", start: time.Now().Add(-3 * time.Second)}
	p.update(generate.Progress{Done: 2, Total: 4, Batch: 2, Step: 1, Steps: 2})
	line := buf.String()
	if !strings.HasPrefix(line, "seed 1: 3.0/4 sentences (75%), 1.0") || !strings.Contains(line, "sentences/s, ETA 1s") {
		t.Fatalf("%q", line)
	}
}

// TestSampleInteractive: on a terminal each line is decoded on its own,
// so its output equals decoding that line alone.
func TestSampleInteractive(t *testing.T) {
	run := writeSampleRun(t)
	saved, savedInteractive := sampleStdin, interactiveStdin
	defer func() { sampleStdin, interactiveStdin = saved, savedInteractive }()
	args := []string{"sample", "--model", run, "--stdin", "--steps", "5", "--seed", "3", "--trace", "5"}

	interactiveStdin = func() bool { return true }
	sampleStdin = strings.NewReader("the cat sat\na dog ran\nthe man\n")
	code, stdout, stderr := runCLI(t, append(args, "--limit", "2")...)
	if code != 0 || !strings.Contains(stderr, "Ctrl-D") || strings.Count(stderr, "t=50 ▒▒") != 2 {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("stdout %q", stdout)
	}
	interactiveStdin = func() bool { return false }
	sampleStdin = strings.NewReader("a dog ran\n")
	if code, alone, stderr := runCLI(t, args...); code != 0 || alone != lines[1]+"\n" {
		t.Fatalf("code %d: alone %q, interactive %q (%s)", code, alone, lines[1], stderr)
	}
}

// TestPyJSONString compares with Python's json.dumps (default
// ensure_ascii), whose output for this string is given literally.
func TestPyJSONString(t *testing.T) {
	in := "a<b>&\"\\é😀\u2028\x01\b\f\n\t/"
	want := `"a<b>&\"\\\u00e9\ud83d\ude00\u2028\u0001\b\f\n\t/"`
	if got := pyJSONString(in); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestSampleNamedSampler(t *testing.T) {
	run := writeSampleRun(t)
	out := t.TempDir()
	code, _, stderr := runCLI(t, "sample", "--model", run, "--sampler", "dpm-solver++", "--out", out, "--trace-html", filepath.Join(out, "t.html"))
	if code != 0 {
		t.Fatal(stderr)
	}
	ours, _ := sampleJSONLines(t, filepath.Join(out, "seed101_step0.samples.jsonl"))
	if len(ours) != 3 || ours[0]["sampler"] != "dpm-solver++" || ours[0]["steps"] != float64(10) {
		t.Fatalf("%v", ours)
	}
	if b, err := os.ReadFile(filepath.Join(out, "t.html")); err != nil || strings.Count(string(b), "<tr>") != 3*(1+1+10) {
		t.Fatalf("trace page (%v): %d rows", err, strings.Count(string(b), "<tr>"))
	}
	if got := sampleOutDir(&sampleFlags{model: run, split: "test", sampler: "ddim", steps: 20, weights: "ema"}); got != filepath.Join("generation_outputs", filepath.Base(run), "test_ddim20") {
		t.Fatalf("default out dir %q", got)
	}
}

func TestSampleV2Sidecar(t *testing.T) {
	run := writeSampleRun(t)
	m := []float32{1, 1, 1, 1, 1, 1, 1, 1}
	if err := safetensors.WriteFile(filepath.Join(run, "mean_embed.safetensors"), []safetensors.Named{safetensors.F32("mean_embed", []int{8}, m)}, nil); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "sample", "--model", run, "--weights", "live", "--ddim", "--steps", "5", "--out", t.TempDir())
	if code == 0 || !strings.Contains(stderr, "DiffuSeq-v2") {
		t.Fatalf("reference DDIM on a v2 run: code %d %q", code, stderr)
	}
	// The default "ema" weights need an EMA copy of mean_embed.
	code, _, stderr = runCLI(t, "sample", "--model", run, "--steps", "5", "--out", t.TempDir())
	if code == 0 || !strings.Contains(stderr, `"ema" mean_embed`) {
		t.Fatalf("ema without EMA mean_embed: code %d %q", code, stderr)
	}
	if code, _, stderr = runCLI(t, "sample", "--model", run, "--weights", "live", "--steps", "5", "--out", t.TempDir()); code != 0 {
		t.Fatal(stderr)
	}
}

// TestSampleV2DenoiseDefault: a v2 run trained with --denoise decodes
// with its own denoise_rate in the ancestral samplers unless
// --denoise-rate says otherwise (the reference's v2 decoder reads it from
// the run); the other samplers get none.
func TestSampleV2DenoiseDefault(t *testing.T) {
	run := writeSampleRun(t)
	ck := filepath.Join(run, "checkpoint.safetensors")
	m, meta, err := model.Load(ck)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(map[string]any{"diff_steps": 50, "noise_schedule": "sqrt", "data_dir": filepath.Join(run, "data"),
		"learned_mean_embed": true, "denoise": true, "denoise_rate": 0.5})
	meta["train_config"] = string(cfg)
	if err := model.Save(ck, m, meta); err != nil {
		t.Fatal(err)
	}
	me := []float32{1, 1, 1, 1, 1, 1, 1, 1}
	if err := safetensors.WriteFile(filepath.Join(run, "mean_embed.safetensors"), []safetensors.Named{safetensors.F32("mean_embed", []int{8}, me)}, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want float64
	}{
		{nil, 0.5},
		{[]string{"--sampler", "ancestral", "--steps", "5"}, 0.5},
		{[]string{"--denoise-rate", "0"}, 0},
		{[]string{"--denoise-rate", "0.25", "--steps", "5"}, 0.25},
		{[]string{"--sampler", "dpm-solver++", "--steps", "3"}, 0},
	} {
		out := t.TempDir()
		args := append([]string{"sample", "--model", run, "--weights", "live", "--out", out}, c.args...)
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: %s", c.args, stderr)
		}
		rows, _ := sampleJSONLines(t, filepath.Join(out, "seed101_step0.samples.jsonl"))
		got, _ := rows[0]["denoise_rate"].(float64) // absent (omitzero) = 0
		if got != c.want {
			t.Errorf("%v: denoise_rate %v, want %v", c.args, got, c.want)
		}
	}
}
