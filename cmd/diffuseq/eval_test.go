package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evalData is testdata/metrics, where gen_eval.py wrote three decode files
// and the reference eval script's numbers for them.
var evalData = filepath.Join("..", "..", "testdata", "metrics")

func evalFiles() []string {
	var args []string
	for _, s := range []string{"101", "102", "103"} {
		args = append(args, "--pred", filepath.Join(evalData, "eval", "seed"+s+".json"))
	}
	return args
}

type evalScores struct {
	BLEU   float64 `json:"bleu"`
	ROUGEL float64 `json:"rouge_l"`
	Dist1  float64 `json:"dist1"`
	AvgLen float64 `json:"avg_len"`
}

func checkScores(t *testing.T, what string, got, want evalScores) {
	t.Helper()
	close := func(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }
	if !close(got.BLEU, want.BLEU, 1e-12) || !close(got.ROUGEL, want.ROUGEL, 1e-6) ||
		got.Dist1 != want.Dist1 || got.AvgLen != want.AvgLen {
		t.Errorf("%s: got %+v, want %+v", what, got, want)
	}
}

// TestEvalMatchesReferenceScript runs `diffuseq eval --json --mbr` on the
// three decode files and compares with the numbers the reference's eval
// script logic gives under NLTK/NumPy (testdata/metrics/gen_eval.py).
func TestEvalMatchesReferenceScript(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(evalData, "eval_expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Files     []evalScores `json:"files"`
		Diversity struct {
			SelfBLEU float64 `json:"self_bleu"`
			Div4     float64 `json:"div4"`
		} `json:"diversity"`
		MBR evalScores `json:"mbr"`
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, append([]string{"eval", "--json", "--mbr"}, evalFiles()...)...)
	if code != 0 {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	var got struct {
		Files []struct {
			evalScores
			Lines int     `json:"lines"`
			Seed  *uint64 `json:"seed"`
		} `json:"files"`
		Diversity struct {
			SelfBLEU   float64 `json:"self_bleu"`
			Div4       float64 `json:"div4"`
			Candidates int     `json:"candidates"`
		} `json:"diversity"`
		MBR struct {
			evalScores
			PickedFrom []int `json:"picked_from"`
		} `json:"mbr"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json output is not one JSON object: %v\n%s", err, out)
	}
	if len(got.Files) != 3 {
		t.Fatalf("%d file rows, want 3", len(got.Files))
	}
	for i, f := range got.Files {
		if f.Lines != 120 {
			t.Errorf("file %d: %d lines, want 120", i, f.Lines)
		}
		checkScores(t, filepath.Base(evalFiles()[2*i+1]), f.evalScores, want.Files[i])
	}
	if got.Files[2].Seed == nil || *got.Files[2].Seed != 103 || got.Files[0].Seed != nil {
		t.Errorf("seed fields: %v %v", got.Files[0].Seed, got.Files[2].Seed)
	}
	if math.Abs(got.Diversity.SelfBLEU-want.Diversity.SelfBLEU) > 1e-12 || got.Diversity.Div4 != want.Diversity.Div4 || got.Diversity.Candidates != 3 {
		t.Errorf("diversity %+v, want %+v", got.Diversity, want.Diversity)
	}
	checkScores(t, "MBR", got.MBR.evalScores, want.MBR)
	if n := got.MBR.PickedFrom[0] + got.MBR.PickedFrom[1] + got.MBR.PickedFrom[2]; n != 120 {
		t.Errorf("picked_from %v sums to %d, want 120", got.MBR.PickedFrom, n)
	}
}

// TestEvalTableAndFolder: the table names every file, the MBR row and the
// diversity line; --folder finds the same files in sorted order.
func TestEvalTableAndFolder(t *testing.T) {
	code, byPred, errOut := runCLI(t, append([]string{"eval"}, evalFiles()...)...)
	if code != 0 {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	for _, s := range []string{"seed101.json", "seed102.json", "seed103.json (seed 103)", "BLEU", "ROUGE-L", "diversity over 3 seeds: self-BLEU 0.2339", "div-4 0.5915"} {
		if !strings.Contains(byPred, s) {
			t.Errorf("table lacks %q:\n%s", s, byPred)
		}
	}
	if strings.Contains(byPred, "MBR") {
		t.Errorf("MBR row without --mbr:\n%s", byPred)
	}
	code, byFolder, errOut := runCLI(t, "eval", "--folder", filepath.Join(evalData, "eval"))
	if code != 0 || byFolder != byPred {
		t.Errorf("--folder: code %d stderr %q\n%s\nwant\n%s", code, errOut, byFolder, byPred)
	}
	code, withMBR, _ := runCLI(t, append([]string{"eval", "--mbr", "--tokenize", "intl"}, evalFiles()...)...)
	if code != 0 || !strings.Contains(withMBR, "MBR over 3") || !strings.Contains(withMBR, "0.5183") || !strings.Contains(withMBR, "tokenize intl") {
		t.Errorf("--mbr table:\n%s", withMBR)
	}
	if code, _, errOut := runCLI(t, "eval", "-h"); code != 0 || !strings.Contains(errOut, "usage: diffuseq eval") {
		t.Errorf("eval -h: code %d, stderr %q", code, errOut)
	}
}

// TestEvalBadInput: user errors name the file, line and field, and never panic.
func TestEvalBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := `{"recover": "a b", "reference": "a b c", "source": "x"}` + "\n"
	ok := write("ok.json", good+good)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"bad json", []string{"--pred", write("bad.json", good+"{not json\n")}, "bad.json:2: not a JSON object"},
		{"missing field", []string{"--pred", write("miss.json", `{"reference": "a", "source": "b"}`+"\n")}, `miss.json:1: field "recover": missing`},
		{"wrong type", []string{"--pred", write("type.json", good+`{"recover": "a", "reference": 3, "source": "b"}`)}, `type.json:2: field "reference": want a string, got 3`},
		{"null", []string{"--pred", write("null.json", `{"recover": null, "reference": "a", "source": "b"}`)}, `null.json:1: field "recover": want a string`},
		{"bad seed", []string{"--pred", write("seed.json", `{"recover": "a", "reference": "a", "source": "b", "seed": "x"}`)}, `seed.json:1: field "seed": want an integer`},
		{"fractional seed", []string{"--pred", write("seedf.json", `{"recover": "a", "reference": "a", "source": "b", "seed": 1.5}`)}, `seedf.json:1: field "seed": want an integer, got 1.5`},
		{"specials", []string{"--pred", ok, "--specials", "gpt"}, `--specials "gpt": want bert or own`},
		{"empty line", []string{"--pred", write("blank.json", good+"\n"+good)}, "blank.json:2: empty line"},
		{"empty file", []string{"--pred", write("empty.json", "")}, "empty.json: no lines"},
		{"missing file", []string{"--pred", filepath.Join(dir, "nope.json")}, "nope.json: no such file"},
		{"line counts", []string{"--pred", ok, "--pred", write("short.json", good)}, "short.json has 1 lines but"},
		{"misaligned", []string{"--pred", ok, "--pred", write("other.json", good+`{"recover": "a", "reference": "zzz", "source": "x"}`+"\n")}, `other.json:2: field "reference" differs`},
		{"mbr one file", []string{"--pred", ok, "--mbr"}, "--mbr needs at least two"},
		{"no input", nil, "no input"},
		{"both inputs", []string{"--pred", ok, "--folder", dir}, "either --pred files or --folder"},
		{"empty folder", []string{"--folder", t.TempDir()}, "no *json files"},
		{"positional", []string{ok}, "unexpected argument"},
		{"tokenizer", []string{"--pred", ok, "--tokenize", "zh"}, `--tokenize: unknown sacrebleu tokenizer "zh"`},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, append([]string{"eval"}, c.args...)...)
		if code == 0 || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "goroutine") {
			t.Errorf("%s: code %d, stdout %q, stderr %q; want an error containing %q", c.name, code, out, errOut, c.want)
		}
	}
	// A file without a trailing newline and with extra fields is fine.
	code, out, errOut := runCLI(t, "eval", "--json", "--pred", write("last.json", good+`{"recover": "a b", "reference": "a b c", "source": "x", "extra": [1]}`))
	if code != 0 || !strings.Contains(out, `"lines": 2`) {
		t.Errorf("code %d stdout %q stderr %q", code, out, errOut)
	}
}

// TestEvalSpecials: --specials own deletes [START]/[END] (bert's defaults
// do not); an explicit --pad overrides the set's; a uint64 seed is
// accepted and reported.
func TestEvalSpecials(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "own.jsonl")
	line := `{"recover": "[START] a b c d [END] [END] [PAD]", "reference": "[START] a b c d [END]", "source": "[START] x [END]", "seed": 18446744073709551615}` + "\n"
	if err := os.WriteFile(p, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	bleuOf := func(args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, append([]string{"eval", "--json", "--pred", p}, args...)...)
		if code != 0 {
			t.Fatalf("%v: code %d stderr %q", args, code, errOut)
		}
		var r struct {
			Files []struct {
				BLEU float64     `json:"bleu"`
				Seed json.Number `json:"seed"`
			} `json:"files"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Files) != 1 {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if r.Files[0].Seed != "18446744073709551615" {
			t.Errorf("seed %q", r.Files[0].Seed)
		}
		return fmt.Sprint(r.Files[0].BLEU)
	}
	if got := bleuOf("--specials", "own"); got != "1" {
		t.Errorf("--specials own: BLEU %s, want 1 (identical after cleanup)", got)
	}
	if got := bleuOf(); got == "1" {
		t.Errorf("bert specials removed the extra [END]: BLEU %s", got)
	}
	if got := bleuOf("--specials", "own", "--pad", "nothing-to-delete"); got == "1" {
		t.Errorf("--pad override ignored: BLEU %s", got)
	}
}
