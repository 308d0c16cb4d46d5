package asm

// Axpy computes y[i] += alpha·x[i] for i < len(x). y must be at least as
// long as x.
//
// Reference loop (axpyGeneric):
//
//	for i, v := range x {
//		y[i] += alpha * v
//	}
//
// Accuracy: the assembly paths use a fused multiply-add, so each y[i] is
// alpha·x[i]+y[i] rounded once instead of twice: within 1 ulp of the loop
// (exactly the correctly rounded value).
func Axpy(alpha float32, x, y []float32) {
	sameLen("Axpy", len(x), y)
	axpy(alpha, x, y[:len(x)])
}

var axpy = axpyGeneric

// axpyChunked feeds a leaf kernel bounded pieces.
func axpyChunked(leaf func(alpha float32, x, y []float32), alpha float32, x, y []float32) {
	for len(x) > vecChunk {
		leaf(alpha, x[:vecChunk], y[:vecChunk])
		x, y = x[vecChunk:], y[vecChunk:]
	}
	leaf(alpha, x, y)
}
