package generate

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/train"
)

// TestLoadV2ModelOwnsMeanEmbed loads a DiffuSeq-v2 trainer checkpoint whose
// model owns mean_embed (no sidecar): the generator decodes as v2 with the
// chosen weights' m.
func TestLoadV2ModelOwnsMeanEmbed(t *testing.T) {
	_, tok := tinyModel(t)
	cfg := tinyTrainConfig()
	cfg.LearnedMeanEmbed, cfg.Denoise = true, true
	tr, err := train.New(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, train.VocabFile), strings.Join(tinyWords, "\n")+"\n")
	if err := tr.Save(dir, train.VocabFile); err != nil {
		t.Fatal(err)
	}
	g, err := Load(dir, LoadOptions{Weights: "live"})
	if err != nil {
		t.Fatal(err)
	}
	if !g.IsV2() {
		t.Fatal("a run with learned_mean_embed loaded as v1")
	}
	want := tr.Model.MeanEmbed.Data()
	for i, v := range g.meanEmbed {
		if v != want[i] {
			t.Fatalf("mean_embed[%d] = %v, want %v", i, v, want[i])
		}
	}
}
