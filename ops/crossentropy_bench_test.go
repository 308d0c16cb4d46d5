package ops

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// BenchmarkLMHeadCrossEntropy is the rounding loss of the small
// configuration (4096 tokens, vocabulary 8000, embedding 128): the tied
// lm_head Linear, the per-token cross-entropy, its mean and the backward.
// It reports the CPU time per step (cpu-ms), steadier than wall time on a
// shared machine.
func BenchmarkLMHeadCrossEntropy(b *testing.B) {
	const rows, V, C = 4096, 8000, 128
	rng := tensor.NewRNG(1)
	h := autograd.NewParam("h", randTensor(rng, rows, C))
	e := autograd.NewParam("e", randTensor(rng, V, C))
	bias := autograd.NewParam("b", randTensor(rng, V))
	ids := make([]int, rows)
	for i := range ids {
		ids[i] = rng.Intn(V)
	}
	tp := autograd.NewTape()
	step := func() {
		tp.Reset()
		logits := Linear(tp, h, e, bias)
		tp.Backward(Mean(tp, CrossEntropy(tp, logits, ids, nil, ReduceNone), 0))
	}
	step()
	b.ResetTimer()
	c0 := processCPU()
	for range b.N {
		step()
	}
	b.ReportMetric(float64(processCPU()-c0)/1e6/float64(b.N), "cpu-ms")
}
