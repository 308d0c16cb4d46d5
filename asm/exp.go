package asm

// Exp computes dst[i] = e^x[i] for i < len(dst). x must be at least as
// long as dst; dst may alias x.
//
// Reference loop (expGeneric): dst[i] = float32(math.Exp(float64(x[i]))).
//
// Accuracy contract, all levels: within 2 ulp of the correctly rounded
// e^x for normal results; results below the smallest normal float32
// (x < -87.34) are within 1 ulp of the subnormal and 0 below -103.98;
// x > 88.72 gives +Inf; Exp(±0) = 1, Exp(-Inf) = 0, Exp(+Inf) = +Inf,
// Exp(NaN) = NaN.
func Exp(dst, x []float32) {
	sameLen("Exp", len(dst), x)
	expv(dst, x[:len(dst)])
}

var expv = expGeneric

// unaryChunked feeds a leaf kernel bounded pieces.
func unaryChunked(leaf func(dst, x []float32), dst, x []float32) {
	for len(dst) > vecChunk {
		leaf(dst[:vecChunk], x[:vecChunk])
		dst, x = dst[vecChunk:], x[vecChunk:]
	}
	leaf(dst, x)
}
