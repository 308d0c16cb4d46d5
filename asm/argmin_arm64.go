//go:build !purego

package asm

// argMinDistNEON scans len(dots) (a multiple of 4) elements, leaving in
// lanes 0-3 the lowest distance and its first index for argMinLanes. See
// argmin_arm64.s.
//
//go:noescape
func argMinDistNEON(dots, en []float32, xn float32, vals *[8]float32, ids *[8]int32)

var _ = bind(func(l Level) {
	argMinDist = argMinDistGeneric
	if l == NEON {
		argMinDist = func(dots, en []float32, xn float32) (int, float32) {
			return argMinLanes(argMinDistNEON, 4, dots, en, xn)
		}
	}
})
