//go:build !purego

package asm

// gemmKernelFor picks the sgemm micro-kernel for level l.
func gemmKernelFor(l Level) *gemmKernel {
	return &kernelGo
}
