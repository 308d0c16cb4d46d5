package ops

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/diffuseq-go/diffuseq/asm"
)

// TestParallelKernelsSameBits: the pooled GELU, GELU', tanh, SiLU, row
// softmax and layer norm give the bits of one serial asm call, at 1, 2 and
// 3 threads, on sizes that split into several ranges and ragged ends.
func TestParallelKernelsSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	fill := func(n int, scale float32) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = scale * (2*rng.Float32() - 1)
		}
		return x
	}
	same := func(what string, threads int, got, want []float32) {
		t.Helper()
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s, %d threads: element %d = %v, serial %v", what, threads, i, got[i], want[i])
			}
		}
	}
	for _, n := range []int{1, 1000, 3*grainElems + 17, 100003} {
		x, dy := fill(n, 4), fill(n, 1)
		wantGelu, wantTanh, wantSilu := make([]float32, n), make([]float32, n), make([]float32, n)
		asm.Gelu(wantGelu, x)
		asm.Tanh(wantTanh, x)
		asm.Silu(wantSilu, x)
		wantBwd := fill(n, 1)
		gotBwdInit := append([]float32(nil), wantBwd...)
		asm.GeluBackward(wantBwd, x, dy)
		for _, th := range []int{1, 2, 3} {
			withThreads(t, th, func() {
				got := make([]float32, n)
				k32.gelu(got, x)
				same("gelu", th, got, wantGelu)
				k32.tanh(got, x)
				same("tanh", th, got, wantTanh)
				k32.silu(got, x)
				same("silu", th, got, wantSilu)
				bwd := append([]float32(nil), gotBwdInit...)
				k32.geluBwd(bwd, x, dy)
				same("geluBwd", th, bwd, wantBwd)
			})
		}
	}
	for _, rc := range [][2]int{{1, 5}, {7, 64}, {5000, 64}, {300, 1000}} {
		rows, cols := rc[0], rc[1]
		x, gamma, beta := fill(rows*cols, 3), fill(cols, 1), fill(cols, 1)
		wantSm, wantLn := make([]float32, rows*cols), make([]float32, rows*cols)
		wantMean, wantRstd := make([]float32, rows), make([]float32, rows)
		asm.SoftmaxRows(wantSm, x, rows, cols)
		asm.LayerNormRows(wantLn, x, gamma, beta, wantMean, wantRstd, rows, cols, 1e-12)
		for _, th := range []int{1, 2, 3} {
			withThreads(t, th, func() {
				got, mean, rstd := make([]float32, rows*cols), make([]float32, rows), make([]float32, rows)
				k32.softmaxRows(got, x, rows, cols)
				same("softmaxRows", th, got, wantSm)
				k32.layerNorm(got, x, gamma, beta, mean, rstd, rows, cols, 1e-12)
				same("layerNorm", th, got, wantLn)
				same("layerNorm mean", th, mean, wantMean)
				same("layerNorm rstd", th, rstd, wantRstd)
			})
		}
	}
}
