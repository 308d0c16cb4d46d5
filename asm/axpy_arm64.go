//go:build !purego

package asm

// axpyNEON computes y[i] += alpha·x[i] for i < len(x) (len(y) ≥ len(x)).
// See axpy_arm64.s.
//
//go:noescape
func axpyNEON(alpha float32, x, y []float32)

var _ = bind(func(l Level) {
	axpy = axpyGeneric
	if l == NEON {
		axpy = func(alpha float32, x, y []float32) { axpyChunked(axpyNEON, alpha, x, y) }
	}
})
