package generate

import (
	"context"
	"testing"

	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
)

// BenchmarkGenerateTiny decodes 50 sentences (one batch) with the "tiny"
// model preset (d 32, H 128, 2 layers, L 32) for 100 reverse steps of a
// 2000-step process and reports sentences/s; the full 2000-step decode is
// 20× slower per sentence.
func BenchmarkGenerateTiny(b *testing.B) {
	_, tok := tinyModel(b)
	c, err := model.Preset("tiny", tok.VocabSize())
	if err != nil {
		b.Fatal(err)
	}
	m, err := model.New(c, 42)
	if err != nil {
		b.Fatal(err)
	}
	g, err := New(m, tok, diffuseq.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	srcs := make([]string, 50)
	for i := range srcs {
		srcs[i] = testSources[i%len(testSources)]
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := g.Generate(context.Background(), srcs, Options{Seed: 1, Steps: 100}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(srcs)*b.N)/b.Elapsed().Seconds(), "sentences/s")
}
