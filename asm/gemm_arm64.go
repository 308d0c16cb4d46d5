//go:build !purego

package asm

// kernelNEON is the NEON sgemm micro-kernel: an 8×8 tile, sixteen q
// register accumulators (see gemm_arm64.s for the register map).
var kernelNEON = gemmKernel{name: "neon-8x8", mr: 8, nr: 8, fn: sgemmKernel8x8NEON, blocks: blocksFor(8, 8)}

// sgemmKernel8x8NEON computes one 8×8 tile of C (contract: gemmKernel).
// The caller guarantees len(a) ≥ 8·kc, len(b) ≥ (kc-1)·ldb+8,
// len(c) ≥ 7·ldc+8 and kc ≥ 1.
//
//go:noescape
func sgemmKernel8x8NEON(kc int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// gemmKernelFor picks the sgemm micro-kernel for level l.
func gemmKernelFor(l Level) *gemmKernel {
	if l == NEON {
		return &kernelNEON
	}
	return &kernelGo
}
