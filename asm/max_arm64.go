//go:build !purego

package asm

// maxNEON leaves in lanes[0:16] the running maxima of 4 accumulators × 4
// lanes over len(x) (a multiple of 16) elements, NaNs skipped. See
// max_arm64.s.
//
//go:noescape
func maxNEON(x []float32, lanes *[32]float32)

var _ = bind(func(l Level) {
	maxf = maxGeneric
	if l == NEON {
		maxf = func(x []float32) float32 { return maxLanes(maxNEON, x) }
	}
})
