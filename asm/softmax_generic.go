package asm

import "math"

// softmaxRowsGeneric is the specification of SoftmaxRows.
func softmaxRowsGeneric(dst, x []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]
		dr := dst[r*cols : (r+1)*cols]
		m := maxGeneric(xr)
		var s float64 // float64 so that long rows still sum to 1 within 1e-6
		for j, v := range xr {
			e := float32(math.Exp(float64(v - m)))
			dr[j] = e
			s += float64(e)
		}
		inv := float32(1 / s)
		for j := range dr {
			dr[j] *= inv
		}
	}
}
