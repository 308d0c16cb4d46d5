package ops

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// BenchmarkLinearWideBias is a Linear whose bias work (add in the forward,
// column sums in the backward) outweighs its GEMMs: 4096 rows, 16 → 8000,
// forward and backward through the tape. It reports CPU ms per step.
func BenchmarkLinearWideBias(b *testing.B) {
	const rows, in, out = 4096, 16, 8000
	rng := tensor.NewRNG(1)
	x := autograd.NewParam("x", randTensor(rng, rows, in))
	w := autograd.NewParam("w", randTensor(rng, out, in))
	bias := autograd.NewParam("b", randTensor(rng, out))
	tp := autograd.NewTape()
	step := func() {
		tp.Reset()
		tp.Backward(Sum(tp, Linear(tp, x, w, bias), 0))
	}
	step()
	b.ResetTimer()
	c0 := processCPU()
	for range b.N {
		step()
	}
	b.ReportMetric(float64(processCPU()-c0)/1e6/float64(b.N), "cpu-ms")
}
