//go:build !purego

package asm

// geluAVX2 and geluBwdAVX2 are the AVX2+FMA GELU forward and backward
// (gelu_amd64.s); the caller passes len(x), len(dy) ≥ len(dst).

//go:noescape
func geluAVX2(dst, x []float32)

//go:noescape
func geluBwdAVX2(dx, x, dy []float32)

var _ = bind(func(l Level) {
	gelu, geluBackward = geluGeneric, geluBackwardGeneric
	if l == AVX2 {
		gelu = func(dst, x []float32) { unaryChunked(geluAVX2, dst, x) }
		geluBackward = func(dx, x, dy []float32) { ternaryChunked(geluBwdAVX2, dx, x, dy) }
	}
})
