package asm

import "math"

// tanhGeneric is the specification of Tanh and its test oracle.
func tanhGeneric(dst, x []float32) {
	for i, v := range x {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}
