//go:build !purego

package asm

// axpyAVX2 computes y[i] += alpha·x[i] for i < len(x) (len(y) ≥ len(x)).
// See axpy_amd64.s.
//
//go:noescape
func axpyAVX2(alpha float32, x, y []float32)

var _ = bind(func(l Level) {
	axpy = axpyGeneric
	if l == AVX2 {
		axpy = func(alpha float32, x, y []float32) { axpyChunked(axpyAVX2, alpha, x, y) }
	}
})
