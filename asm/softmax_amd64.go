//go:build !purego

package asm

import "math"

// The AVX2+FMA softmax: three leaf kernels per row (softmax_amd64.s), each
// called on chunks of at most vecChunk elements so no assembly call runs
// unbounded on a vocabulary-sized row.

//go:noescape
func softmaxMaxAVX2(x []float32) float32

//go:noescape
func softmaxExpSumAVX2(dst, x []float32, m float32) float32

//go:noescape
func softmaxScaleAVX2(x []float32, a float32)

var _ = bind(func(l Level) {
	softmaxRows = softmaxRowsGeneric
	if l == AVX2 {
		softmaxRows = softmaxRowsAVX2
	}
})

func softmaxRowsAVX2(dst, x []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]   // (cols)
		dr := dst[r*cols : (r+1)*cols] // (cols)
		m := float32(math.Inf(-1))
		for c := 0; c < cols; c += vecChunk {
			m = max(m, softmaxMaxAVX2(xr[c:min(c+vecChunk, cols)]))
		}
		var s float64 // chunk partials summed in float64: long rows stay within 1e-6
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			s += float64(softmaxExpSumAVX2(dr[c:e], xr[c:e], m))
		}
		inv := float32(1 / s)
		for c := 0; c < cols; c += vecChunk {
			softmaxScaleAVX2(dr[c:min(c+vecChunk, cols)], inv)
		}
	}
}
