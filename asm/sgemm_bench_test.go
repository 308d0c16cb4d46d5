package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// BenchmarkSgemm measures the kernel level in use on DiffuSeq-sized
// products (rows = batch·sequence tokens, k and n = hidden or FFN widths,
// the vocabulary-wide logits) and reports GFLOP/s (2·m·n·k per product).
// Set the threads with DIFFUSEQ_THREADS, the path with DIFFUSEQ_KERNELS.
func BenchmarkSgemm(b *testing.B) {
	shapes := [][3]int{{4096, 512, 512}, {1024, 1024, 1024}, {8192, 768, 768}, {64, 128, 8000}, {128, 768, 768}, {17, 31, 23}}
	for _, sh := range shapes {
		for _, tr := range []string{"NN", "NT", "TN"} {
			m, k, n := sh[0], sh[1], sh[2]
			b.Run(fmt.Sprintf("%s/%dx%dx%d/t%d", tr, m, k, n, parallel.Threads()), func(b *testing.B) {
				transA, transB := tr[0] == 'T', tr[1] == 'T'
				rng := rand.New(rand.NewPCG(1, 2))
				a, bb, c := randSlice(rng, m*k), randSlice(rng, k*n), make([]float32, m*n)
				lda, ldb := k, n
				if transA {
					lda = m
				}
				if transB {
					ldb = k
				}
				Sgemm(transA, transB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					Sgemm(transA, transB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
				}
				b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkSgemmBatched measures attention-shaped batches: (B·H) products
// of (T, D)·(D, T) for the scores.
func BenchmarkSgemmBatched(b *testing.B) {
	const batch, t, d = 64 * 4, 64, 64
	rng := rand.New(rand.NewPCG(1, 2))
	q, kk, s := randSlice(rng, batch*t*d), randSlice(rng, batch*t*d), make([]float32, batch*t*t)
	for i := 0; i < b.N; i++ {
		SgemmBatched(false, true, t, t, d, 1, q, d, t*d, kk, d, t*d, 0, s, t, t*t, batch)
	}
	b.ReportMetric(2*float64(batch*t*t*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkSgemmMicroKernel runs the micro-kernel alone on panels that sit
// in L1 (kc = 256): the ceiling the blocked driver can approach.
func BenchmarkSgemmMicroKernel(b *testing.B) {
	kern := gemmCurrent
	const kc = 256
	rng := rand.New(rand.NewPCG(1, 2))
	a, bp, c := randSlice(rng, kc*kern.mr), randSlice(rng, kc*kern.nr), make([]float32, kern.mr*kern.nr)
	for i := 0; i < b.N; i++ {
		kern.fn(kc, a, bp, kern.nr, c, kern.nr, 1, 1)
	}
	b.ReportMetric(2*float64(kc*kern.mr*kern.nr)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
