package asm

import "math"

// argMinDistGeneric is the specification of ArgMinDist and its test oracle.
func argMinDistGeneric(dots, en []float32, xn float32) (int, float32) {
	bi, best := -1, float32(math.Inf(1))
	for c, dot := range dots {
		if d := max((en[c]+xn)-2*dot, 0); d < best {
			bi, best = c, d
		}
	}
	return bi, best
}
