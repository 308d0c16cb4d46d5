package data

import (
	"path/filepath"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
	"github.com/diffuseq-go/diffuseq/text"
)

// BenchmarkLoadMulti30kTrain reads, validates, tokenises (own vocab) and
// joins the 29,000 training pairs of the shared tokenised Multi30k, L = 64.
func BenchmarkLoadMulti30kTrain(b *testing.B) {
	dir := testenv.Shared(b, "data", "multi30k_de_en_tok")
	cv, err := text.LoadCustomVocab(filepath.Join(dir, "vocab.txt"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ds, err := Load(filepath.Join(dir, "train.jsonl"), cv, Options{SeqLen: 64})
		if err != nil || ds.Len() != 29000 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*29000)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkLoaderEpoch makes one shuffled epoch of batches of 64 from the
// in-memory Multi30k-tok valid split.
func BenchmarkLoaderEpoch(b *testing.B) {
	ds := multi30k(b, false)
	for b.Loop() {
		l, _ := NewLoader(ds, LoaderOptions{BatchSize: 64, Shuffle: true, Seed: 1})
		for {
			if _, err := l.Next(); err != nil {
				break
			}
		}
	}
}
