package asm

// Dot returns Σ x[i]·y[i] over i < len(x). y must be at least as long as x.
//
// Reference loop (dotGeneric):
//
//	var s float32
//	for i, v := range x {
//		s += v * y[i]
//	}
//
// Accuracy: the assembly paths sum in a different order (8 or 4 lanes ×
// 4 accumulators, chunk by chunk) with fused multiply-adds, so the result
// may differ from the loop by rounding: |Dot - exact| ≤ c·n·ε·Σ|x[i]·y[i]|
// with ε = 2⁻²⁴, as for any float32 summation. It is deterministic for a
// given level: the same inputs give the same bits whatever the thread
// count.
func Dot(x, y []float32) float32 {
	sameLen("Dot", len(x), y)
	return dot(x, y[:len(x)])
}

var dot = dotGeneric

// dotChunked feeds a leaf kernel bounded pieces and adds the partial sums
// in order.
func dotChunked(leaf func(x, y []float32) float32, x, y []float32) float32 {
	var s float32
	for len(x) > vecChunk {
		s += leaf(x[:vecChunk], y[:vecChunk])
		x, y = x[vecChunk:], y[vecChunk:]
	}
	return s + leaf(x, y)
}
