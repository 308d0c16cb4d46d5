//go:build !purego

package asm

// maxAVX2 leaves in lanes the running maxima of 4 accumulators × 8 lanes
// over len(x) (a multiple of 32) elements, NaNs skipped. See max_amd64.s.
//
//go:noescape
func maxAVX2(x []float32, lanes *[32]float32)

var _ = bind(func(l Level) {
	maxf = maxGeneric
	if l == AVX2 {
		maxf = func(x []float32) float32 { return maxLanes(maxAVX2, x) }
	}
})
