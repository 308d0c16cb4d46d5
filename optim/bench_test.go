package optim

import (
	"testing"
)

// BenchmarkStep measures one full update (norm, AdamW, one EMA) over a
// parameter set of roughly the named size; ns/elem is the figure to watch.
func BenchmarkStep(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"tiny-100k", 100_000}, {"small-4M", 4_000_000}} {
		b.Run(size.name, func(b *testing.B) {
			ps := testParams(size.n/2, size.n/4, size.n/4)
			fillGrads(ps, 0)
			cfg := DefaultConfig()
			o, _ := New(cfg, ps)
			b.SetBytes(int64(size.n) * 4 * 8) // θ, g, m, v read; θ, m, v, ema read+written
			b.ResetTimer()
			for b.Loop() {
				o.Step()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(size.n), "ns/elem")
		})
	}
}
