//go:build (!amd64 && !arm64) || purego

package asm

// Supported reports whether this machine can run level l: only the pure-Go
// kernels on this platform or with the purego tag.
func Supported(l Level) bool { return l == Generic }

// Best is the fastest supported level.
func Best() Level { return Generic }
