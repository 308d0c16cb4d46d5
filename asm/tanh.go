package asm

// Tanh computes dst[i] = tanh(x[i]) for i < len(dst). x must be at least
// as long as dst; dst may alias x. (DiffuSeq applies it to the (B, T, H)
// activations of input_up_proj and output_down_proj.)
//
// Reference loop (tanhGeneric): dst[i] = float32(math.Tanh(float64(x[i]))).
//
// Accuracy contract, all levels: within 3 ulp of the reference;
// Tanh(±0) = ±0, Tanh(±Inf) = ±1, Tanh(NaN) = NaN.
func Tanh(dst, x []float32) {
	sameLen("Tanh", len(dst), x)
	tanhv(dst, x[:len(dst)])
}

var tanhv = tanhGeneric
