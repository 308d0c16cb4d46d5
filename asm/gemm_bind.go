package asm

import "fmt"

// The sgemm binder: every level runs the same blocked, packed driver
// (gemm_driver.go) with the micro-kernel gemmKernelFor picks for it
// (gemm_amd64.go, gemm_arm64.go, gemm_other.go). sgemmGeneric, the plain
// triple loop, is not bound: it stays the specification and test oracle.

// gemmCurrent is the kernel in use, for tests, benchmarks and docs.
var gemmCurrent = &kernelGo

var _ = bind(func(l Level) {
	kern := gemmKernelFor(l)
	gemmCurrent = kern
	sgemm = func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		sgemmBlocked(kern, transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1)
	}
	sgemmBatched = func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda, strideA int, b []float32, ldb, strideB int, beta float32, c []float32, ldc, strideC int, batch int) {
		sgemmBlocked(kern, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch)
	}
})

// SgemmKernel names the micro-kernel in use and its cache blocking, e.g.
// "avx2-6x16 kc=256 mc=252 nc=8192 ncL2=256" (for `diffuseq bench` and logs).
func SgemmKernel() string {
	k := gemmCurrent
	return fmt.Sprintf("%s kc=%d mc=%d nc=%d ncL2=%d", k.name, k.blocks.kc, k.blocks.mc, k.blocks.nc, k.blocks.ncL2)
}
