package ops

import (
	"slices"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// Work is split over independent outputs only, so an encoder layer's
// forward and backward give bit-identical results with 1 and 3 threads.
// The shape is big enough for every row loop to split.
func TestThreadCountDoesNotChangeResults(t *testing.T) {
	const B, T, C, FF, H = 8, 32, 128, 256, 4
	run := func(threads int) [][]float32 {
		var out [][]float32
		withThreads(t, threads, func() {
			rng := tensor.NewRNG(9)
			l := newEncoderLayer(rng, "l", C, FF)
			h := autograd.NewParam("h", randTensor(rng, B, T, C))
			tp := autograd.NewTape()
			y := l.forward(tp, h, encoderCfg{heads: H, dropP: 0.1, rng: tensor.NewRNG(4), eps: LayerNormEps})
			ids := make([]int, B*T)
			for i := range ids {
				ids[i] = rng.Intn(C)
			}
			loss := Mean(tp, CrossEntropy(tp, y, ids, nil, ReduceNone), 0)
			tp.Backward(loss)
			out = append(out, slices.Clone(y.Data()), []float32{loss.Item()})
			for _, p := range append(l.params(), h) {
				out = append(out, slices.Clone(p.Grad.Data()))
			}
		})
		return out
	}
	one, three := run(1), run(3)
	for i := range one {
		if !slices.Equal(one[i], three[i]) {
			t.Fatalf("result %d differs between 1 and 3 threads", i)
		}
	}
}
