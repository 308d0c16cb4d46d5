//go:build !purego

package asm

// kernelAVX2 is the AVX2+FMA sgemm micro-kernel: a 6×16 tile, twelve ymm
// accumulators (see gemm_amd64.s for the register map).
var kernelAVX2 = gemmKernel{name: "avx2-6x16", mr: 6, nr: 16, fn: sgemmKernel6x16AVX2, blocks: blocksFor(6, 16)}

// sgemmKernel6x16AVX2 computes one 6×16 tile of C (contract: gemmKernel).
// It needs AVX2 and FMA; the caller guarantees len(a) ≥ 6·kc, len(b) ≥
// (kc-1)·ldb+16, len(c) ≥ 5·ldc+16 and kc ≥ 1.
//
//go:noescape
func sgemmKernel6x16AVX2(kc int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// gemmKernelFor picks the sgemm micro-kernel for level l.
func gemmKernelFor(l Level) *gemmKernel {
	if l == AVX2 {
		return &kernelAVX2
	}
	return &kernelGo
}
