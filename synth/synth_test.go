package synth

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func small() Config { return Config{Seed: 7, TrainSize: 2000, ValidSize: 100, TestSize: 50} }

func TestVocabIsAValidCustomVocab(t *testing.T) {
	v := Vocab()
	if len(v) != 80 {
		t.Errorf("vocab has %d words, want 80", len(v))
	}
	seen := map[string]bool{}
	for _, w := range v {
		if seen[w] {
			t.Errorf("word %q listed twice (the reference would give it a colliding id)", w)
		}
		seen[w] = true
		if strings.HasPrefix(w, "[") || strings.ContainsAny(w, " \t\n") {
			t.Errorf("word %q would clash with the tokenizer's specials or its whitespace split", w)
		}
	}
	c, err := Generate(small())
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, e := range c.Train {
		for _, w := range strings.Fields(e.Src + " " + e.Trg) {
			if !seen[w] {
				t.Fatalf("corpus word %q is not in the vocabulary", w)
			}
			used[w] = true
		}
	}
	if len(used) != len(v) {
		t.Errorf("training split uses %d of the %d words", len(used), len(v))
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, _ := Generate(small())
	b, _ := Generate(small())
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same config gave two different corpora")
	}
	cfg := small()
	cfg.Seed++
	c, _ := Generate(cfg)
	if reflect.DeepEqual(a.Train[:10], c.Train[:10]) {
		t.Error("different seeds gave the same corpus")
	}
	// Pinned so that a change of generator (and of every demo number) is
	// noticed: the first example of the default corpus.
	d, _ := Generate(DefaultConfig())
	want := Example{Src: "my sleepy car likes my mad rock", Trg: "my angry rock is liked by my sleepy auto"}
	if got := d.Train[0]; got != want {
		t.Errorf("first default example %+v, pinned %+v", got, want)
	}
}

func TestSplitsAreDisjointAndSized(t *testing.T) {
	cfg := small()
	c, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Train) != cfg.TrainSize || len(c.Valid) != cfg.ValidSize || len(c.Test) != cfg.TestSize {
		t.Fatalf("sizes %d/%d/%d, want %+v", len(c.Train), len(c.Valid), len(c.Test), cfg)
	}
	seen := map[string]string{}
	for name, split := range map[string][]Example{"train": c.Train, "valid": c.Valid, "test": c.Test} {
		for _, e := range split {
			if prev, dup := seen[e.Src]; dup {
				t.Fatalf("source %q appears in %s and %s", e.Src, prev, name)
			}
			seen[e.Src] = name
		}
	}
	if _, err := Generate(Config{TrainSize: -1}); err == nil {
		t.Error("negative size accepted")
	}
	if _, err := Generate(Config{TrainSize: distinctSources}); err == nil {
		t.Error("impossible size accepted")
	}
}

func TestEveryTargetIsCorrectAndFits(t *testing.T) {
	c, _ := Generate(small())
	for _, e := range append(append(c.Train, c.Valid...), c.Test...) {
		ok, words, err := Score(e.Src, e.Trg)
		if err != nil || !ok || words != TrgLen {
			t.Fatalf("generated target %q for %q scored %v/%d (%v)", e.Trg, e.Src, ok, words, err)
		}
		ts, err := Targets(e.Src)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range ts {
			found = found || x == e.Trg
		}
		if !found {
			t.Fatalf("target %q missing from Targets(%q)", e.Trg, e.Src)
		}
		// Spec 1.3 with seq_len 32: [START] src [END] [END] [START] trg [END]
		// must fit without truncation.
		if n := len(strings.Fields(e.Src)) + len(strings.Fields(e.Trg)) + 5; n > 32 {
			t.Fatalf("example needs %d ids, more than seq_len 32", n)
		}
	}
}

func TestTargetsEnumeratesThe32Paraphrases(t *testing.T) {
	src := "the big dog chases my quiet kitty"
	ts, err := Targets(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 32 {
		t.Fatalf("%d targets, want 32", len(ts))
	}
	uniq := map[string]bool{}
	for _, x := range ts {
		uniq[x] = true
		if ok, _, _ := Score(src, x); !ok {
			t.Errorf("enumerated target %q does not score as correct", x)
		}
	}
	if len(uniq) != 32 {
		t.Errorf("only %d distinct targets", len(uniq))
	}
	for _, want := range []string{
		"my quiet kitty is chased by the big dog",
		"my silent cat is pursued by the large hound",
	} {
		if !uniq[want] {
			t.Errorf("missing %q", want)
		}
	}
}

func TestScoreRejectsWrongOutputs(t *testing.T) {
	src := "the big dog chases my quiet kitty"
	cases := []struct {
		out     string
		correct bool
		words   int
	}{
		{"[START] my quiet cat is chased by the large dog [END] [PAD] [PAD]", true, 9},
		{"my quiet cat is chased by the large dog", true, 9},
		{"the big dog is chased by my quiet kitty", false, 3},     // roles not swapped: frame only
		{"my quiet cat is chased by the large dog dog", false, 9}, // extra word
		{"my quiet cat is chased by the large", false, 8},         // truncated
		{"my quiet cat is seen by the large dog", false, 8},       // wrong verb
		{"my quiet cat is chases by the large dog", false, 8},     // active form is not a participle
		{"my quiet cat [PAD] chased by the large dog", false, 8},  // special token inside
		{"", false, 0}, // empty output
		{"[START] [END] my quiet cat is chased by the large dog", false, 0}, // text after [END] is cut
	}
	for _, c := range cases {
		ok, words, err := Score(src, c.out)
		if err != nil {
			t.Fatal(err)
		}
		if ok != c.correct || words != c.words {
			t.Errorf("Score(%q) = %v, %d words; want %v, %d", c.out, ok, words, c.correct, c.words)
		}
	}
	if _, _, err := Score("the big dog", "x"); err == nil || !strings.Contains(err.Error(), "3 words") {
		t.Errorf("short source: error %v", err)
	}
	if _, _, err := Score("the big dog chases my quiet zebra", "x"); err == nil || !strings.Contains(err.Error(), `word 7 "zebra" is not a noun`) {
		t.Errorf("unknown word: error %v", err)
	}
}

func TestAccuracy(t *testing.T) {
	srcs := []string{"the big dog chases my quiet kitty", "my old car finds the red boat"}
	outs := []string{"my silent cat is pursued by the large hound", "the red ship is found by my aged auto dog"}
	exact, word, err := Accuracy(srcs, outs)
	if err != nil {
		t.Fatal(err)
	}
	if exact != 0.5 || word != 1 {
		t.Errorf("Accuracy = %v, %v; want 0.5, 1 (second output has an extra word)", exact, word)
	}
	if _, _, err := Accuracy(srcs, outs[:1]); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, _, err := Accuracy([]string{"bad"}, []string{"x"}); err == nil || !strings.Contains(err.Error(), "output 1") {
		t.Errorf("bad source: error %v", err)
	}
}

func TestWriteDirRoundTrip(t *testing.T) {
	c, _ := Generate(Config{Seed: 3, TrainSize: 40, ValidSize: 5, TestSize: 3})
	dir := filepath.Join(t.TempDir(), "demo")
	if err := c.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]Example{TrainFile: c.Train, ValidFile: c.Valid, TestFile: c.Test} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		var got []Example
		for sc.Scan() {
			var m map[string]string
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(m) != 2 {
				t.Fatalf("%s: line %q has fields other than src/trg", name, sc.Text())
			}
			got = append(got, Example{Src: m["src"], Trg: m["trg"]})
		}
		f.Close()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s does not round-trip", name)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, VocabFile))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(string(b)); !reflect.DeepEqual(got, Vocab()) {
		t.Errorf("vocab.txt holds %d words, want the %d of Vocab()", len(got), len(Vocab()))
	}
	if err := c.WriteDir(filepath.Join(dir, TrainFile, "x")); err == nil {
		t.Error("writing below a file succeeded")
	}
}
