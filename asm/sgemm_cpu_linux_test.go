package asm

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// BenchmarkSgemmCPU runs one thread and reports GFLOP/s per second of that
// thread's own CPU time (getrusage RUSAGE_THREAD) as well as per second of
// wall time. On a machine shared with other jobs the CPU-time figure stays
// close to what an idle machine would show (cache sharing aside), so it is
// the one to tune by; quoted figures use wall time.
func BenchmarkSgemmCPU(b *testing.B) {
	shapes := [][3]int{{4096, 512, 512}, {1024, 1024, 1024}, {64, 128, 8000}, {4096, 128, 8000}, {128, 768, 768}}
	for _, sh := range shapes {
		for _, tr := range []string{"NN", "NT", "TN"} {
			m, k, n := sh[0], sh[1], sh[2]
			b.Run(fmt.Sprintf("%s/%dx%dx%d", tr, m, k, n), func(b *testing.B) {
				prev := parallel.SetThreads(1)
				defer parallel.SetThreads(prev)
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
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
				t0 := threadCPU()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					Sgemm(transA, transB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
				}
				cpu := threadCPU() - t0
				flops := 2 * float64(m) * float64(n) * float64(k) * float64(b.N)
				b.ReportMetric(flops/cpu.Seconds()/1e9, "cpu-GFLOP/s")
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
