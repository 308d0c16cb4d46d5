//go:build !purego

package asm

import "math"

// The NEON softmax: the leaf kernels of softmax_arm64.s handle the
// multiple-of-4 prefix of each chunk of at most vecChunk elements; Go does
// the remaining 0-3 elements with the same formulas.

//go:noescape
func softmaxMaxNEON(x []float32) float32

//go:noescape
func softmaxExpSumNEON(dst, x []float32, m float32) float32

//go:noescape
func softmaxScaleNEON(x []float32, a float32)

var _ = bind(func(l Level) {
	softmaxRows = softmaxRowsGeneric
	if l == NEON {
		softmaxRows = softmaxRowsNEON
	}
})

func softmaxRowsNEON(dst, x []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]   // (cols)
		dr := dst[r*cols : (r+1)*cols] // (cols)
		m := float32(math.Inf(-1))
		for c := 0; c < cols; c += vecChunk {
			xc := xr[c:min(c+vecChunk, cols)]
			m = max(m, softmaxMaxNEON(xc))
			for _, v := range xc[len(xc)&^3:] {
				m = max(m, v)
			}
		}
		var s float64 // chunk partials summed in float64: long rows stay within 1e-6
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			xc, dc := xr[c:e], dr[c:e]
			s += float64(softmaxExpSumNEON(dc, xc, m))
			for j := len(xc) &^ 3; j < len(xc); j++ {
				dc[j] = float32(math.Exp(float64(xc[j] - m)))
				s += float64(dc[j])
			}
		}
		inv := float32(1 / s)
		for c := 0; c < cols; c += vecChunk {
			dc := dr[c:min(c+vecChunk, cols)]
			softmaxScaleNEON(dc, inv)
			for j := len(dc) &^ 3; j < len(dc); j++ {
				dc[j] *= inv
			}
		}
	}
}
