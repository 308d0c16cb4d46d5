package asm

// dotGeneric is the specification of Dot and its test oracle.
func dotGeneric(x, y []float32) float32 {
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}
