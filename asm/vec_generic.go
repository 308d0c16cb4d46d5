package asm

import "math"

func scaleGeneric(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

func sumGeneric(x []float32) float32 {
	var s float32
	for _, v := range x {
		s += v
	}
	return s
}

func maxGeneric(x []float32) float32 {
	m := float32(math.Inf(-1))
	nan := len(x) > 0
	for _, v := range x {
		if v != v {
			continue
		}
		nan = false
		if v > m {
			m = v
		}
	}
	if nan {
		return float32(math.NaN())
	}
	return m
}

func siluGeneric(dst, x []float32) {
	for i, v := range x {
		f := float64(v)
		dst[i] = float32(f / (1 + math.Exp(-f)))
	}
}
