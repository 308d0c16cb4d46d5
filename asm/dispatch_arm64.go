//go:build !purego

package asm

// Supported reports whether this machine can run level l. Every arm64 CPU
// has Advanced SIMD (NEON).
func Supported(l Level) bool { return l == Generic || l == NEON }

// Best is the fastest supported level.
func Best() Level { return NEON }
