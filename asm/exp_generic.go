package asm

import "math"

// expGeneric is the specification of Exp and its test oracle: the float64
// exponential rounded to float32.
func expGeneric(dst, x []float32) {
	for i, v := range x {
		dst[i] = float32(math.Exp(float64(v)))
	}
}
