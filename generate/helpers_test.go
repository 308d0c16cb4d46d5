package generate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/text"
)

// tinyWords is the vocabulary of the test model (ids 4… after the four
// specials of the own-vocabulary mode).
var tinyWords = strings.Fields("the a cat dog man woman sat ran saw on mat park is was big small red fast")

// tinyDiffSteps keeps the tests fast.
const tinyDiffSteps = 50

// tinyModel is a randomly initialised, seeded model over tinyWords.
func tinyModel(t testing.TB) (*model.TransformerNetModel, text.Tokenizer) {
	t.Helper()
	tok, err := text.NewCustomVocab(tinyWords)
	if err != nil {
		t.Fatal(err)
	}
	c := model.Config{VocabSize: tok.VocabSize(), HiddenDim: 8, HiddenTDim: 8, HiddenSize: 16, Layers: 1, Heads: 2,
		Intermediate: 32, MaxPositions: 32, Dropout: 0.1, AttnDropout: 0.1, LayerNormEps: 1e-12, SeqLen: 16}
	m, err := model.New(c, 42)
	if err != nil {
		t.Fatal(err)
	}
	return m, tok
}

// writeTinyRun saves the tiny model as a run folder: checkpoint with the
// training config in its metadata, vocab.txt, and a data folder with a
// test split.
func writeTinyRun(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	m, _ := tinyModel(t)
	cfg, _ := json.Marshal(map[string]any{"diff_steps": tinyDiffSteps, "noise_schedule": "sqrt", "data_dir": filepath.Join(dir, "data")})
	meta := map[string]string{"vocab_mode": "vocab.txt", "train_config": string(cfg)}
	if err := model.Save(filepath.Join(dir, "checkpoint.safetensors"), m, meta); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "vocab.txt"), strings.Join(tinyWords, "\n")+"\n")
	writeFile(t, filepath.Join(dir, "data", "test.jsonl"), `{"src": "the cat sat on the mat", "trg": "a cat was on a mat"}
{"src": "the man saw a dog", "trg": "a dog was big"}
{"src": "a woman ran", "trg": "the woman was fast"}
`)
	return dir
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

var testSources = []string{
	"the cat sat on the mat",
	"the man saw a dog",
	"a woman ran in the park",
	"the big red dog is fast",
	"a small cat",
}
