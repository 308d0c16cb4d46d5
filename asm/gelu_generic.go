package asm

import "math"

// geluGeneric is the specification of Gelu and its test oracle (float64).
// Φ(x) = ½(1+erf(x/√2)) is evaluated as ½erfc(-x/√2), the same function
// without the cancellation of 1+erf for x ≪ 0.
func geluGeneric(dst, x []float32) {
	for i, v := range x {
		f := float64(v)
		dst[i] = float32(0.5 * f * math.Erfc(-f/math.Sqrt2))
	}
}

// geluBackwardGeneric is the specification of GeluBackward:
// d/dx x·Φ(x) = Φ(x) + x·φ(x).
func geluBackwardGeneric(dx, x, dy []float32) {
	const invSqrt2Pi = 0.3989422804014327 // 1/√(2π)
	for i, v := range x {
		f := float64(v)
		cdf := 0.5 * math.Erfc(-f/math.Sqrt2) // Φ(x) = ½(1+erf(x/√2))
		pdf := invSqrt2Pi * math.Exp(-0.5*f*f)
		dx[i] += dy[i] * float32(cdf+f*pdf)
	}
}
