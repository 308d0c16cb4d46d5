package asm

// axpyGeneric is the specification of Axpy and its test oracle.
func axpyGeneric(alpha float32, x, y []float32) {
	for i, v := range x {
		y[i] += alpha * v
	}
}
