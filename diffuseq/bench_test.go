package diffuseq

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/asm"
)

// BenchmarkRounderNearest: rounding at the paper's vocabulary and width
// (V = 30522, d = 128) for 512 positions (4 sequences of L = 128).
func BenchmarkRounderNearest(b *testing.B) {
	const v, d, n = 30522, 128, 512
	r := NewRounder(randTensor(1, v, d))
	x := randTensor(2, n, d)
	for b.Loop() {
		r.Nearest(x)
	}
	b.ReportMetric(2*float64(v)*d*n*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/op")
	b.Logf("kernels %s", asm.Impl())
}

// BenchmarkLogits: the lm_head read-out at the same shape.
func BenchmarkLogits(b *testing.B) {
	const v, d, n = 30522, 128, 512
	emb, bias, h := randTensor(1, v, d), randTensor(3, v), randTensor(2, 1, n, d)
	for b.Loop() {
		Logits(h, emb, bias)
	}
	b.ReportMetric(2*float64(v)*d*n*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkPSampleStep: one ancestral step's diffusion arithmetic (no
// network, no rounding) at B = 50, L = 128, d = 128.
func BenchmarkPSampleStep(b *testing.B) {
	dd, err := New(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	x, f := randTensor(1, 50, 128, 128), randTensor(2, 50, 128, 128)
	mask := make([]int, 50*128)
	for i := range mask {
		mask[i] = i % 128 / 64
	}
	opt := &SampleOptions{Mask: mask, XStart: randTensor(3, 50, 128, 128), Noise: newBenchNormal()}
	for b.Loop() {
		dd.PSampleFromOutput(f, x, 1000, nil, opt)
	}
}

type benchNormal struct{}

func newBenchNormal() benchNormal { return benchNormal{} }

// FillNormal writes a cheap deterministic pattern: the benchmark measures
// the step arithmetic, not the generator.
func (benchNormal) FillNormal(x []float32, mean, std float32) {
	for i := range x {
		x[i] = mean + std*float32(i%7-3)/3
	}
}
