//go:build (!amd64 && !arm64) || purego

package asm

// gemmKernelFor: only the pure-Go kernel on this platform or with purego.
func gemmKernelFor(Level) *gemmKernel { return &kernelGo }
