//go:build !purego

package asm

import "golang.org/x/sys/cpu"

// hasAVX2FMA is true only when both are present: AVX2 code here always uses
// FMA instructions.
var hasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// Supported reports whether this machine can run level l.
func Supported(l Level) bool {
	switch l {
	case Generic:
		return true
	case AVX2:
		return hasAVX2FMA
	}
	// AVX512 has no kernels yet: none could be tested on the development
	// machines (see docs/kernels.md), so it is never offered.
	return false
}

// Best is the fastest supported level.
func Best() Level {
	if hasAVX2FMA {
		return AVX2
	}
	return Generic
}
