//go:build !purego

package asm

// argMinDistAVX2 scans len(dots) (a multiple of 8) elements, leaving per
// lane the lowest distance and its first index for argMinLanes. See
// argmin_amd64.s.
//
//go:noescape
func argMinDistAVX2(dots, en []float32, xn float32, vals *[8]float32, ids *[8]int32)

var _ = bind(func(l Level) {
	argMinDist = argMinDistGeneric
	if l == AVX2 {
		argMinDist = func(dots, en []float32, xn float32) (int, float32) {
			return argMinLanes(argMinDistAVX2, 8, dots, en, xn)
		}
	}
})
