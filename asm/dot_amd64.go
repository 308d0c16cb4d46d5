//go:build !purego

package asm

// dotAVX2 returns Σ x[i]·y[i] for i < len(x) (len(y) ≥ len(x)). See
// dot_amd64.s.
//
//go:noescape
func dotAVX2(x, y []float32) float32

var _ = bind(func(l Level) {
	dot = dotGeneric
	if l == AVX2 {
		dot = func(x, y []float32) float32 { return dotChunked(dotAVX2, x, y) }
	}
})
