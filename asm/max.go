package asm

import "math"

// maxBlock is the element count the leaf max kernels work in: 32 (4
// accumulators of 8 AVX2 lanes); the NEON leaf's 16 (4 × 4) divides it.
const maxBlock = 32

// maxLanes is Max on a leaf kernel: the leaf reduces whole blocks of 32
// into 32 lane maxima (-Inf where it saw no number), which are merged here
// with the tail elements. When nothing beats -Inf (every element NaN or
// -Inf) the reference loop decides, so an all-NaN row still gives NaN.
func maxLanes(leaf func(x []float32, lanes *[32]float32), x []float32) float32 {
	m := float32(math.Inf(-1))
	for rest := x; len(rest) > 0; {
		piece := rest[:min(len(rest), vecChunk)]
		rest = rest[len(piece):]
		n := len(piece) / maxBlock * maxBlock
		if n > 0 {
			lanes := [32]float32{} // a leaf with fewer lanes leaves the rest at -Inf
			for i := range lanes {
				lanes[i] = float32(math.Inf(-1))
			}
			leaf(piece[:n], &lanes)
			for _, v := range lanes {
				if v > m {
					m = v
				}
			}
		}
		for _, v := range piece[n:] {
			if v > m {
				m = v
			}
		}
	}
	if math.IsInf(float64(m), -1) {
		return maxGeneric(x)
	}
	return m
}
