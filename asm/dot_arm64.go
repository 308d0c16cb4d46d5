//go:build !purego

package asm

// dotNEON returns Σ x[i]·y[i] for i < len(x) (len(y) ≥ len(x)). See
// dot_arm64.s.
//
//go:noescape
func dotNEON(x, y []float32) float32

var _ = bind(func(l Level) {
	dot = dotGeneric
	if l == NEON {
		dot = func(x, y []float32) float32 { return dotChunked(dotNEON, x, y) }
	}
})
