//go:build !purego

package asm

// tanhAVX2 computes dst[i] = tanh(x[i]) for i < len(dst) (tanh_amd64.s).
//
//go:noescape
func tanhAVX2(dst, x []float32)

var _ = bind(func(l Level) {
	tanhv = tanhGeneric
	if l == AVX2 {
		tanhv = func(dst, x []float32) { unaryChunked(tanhAVX2, dst, x) }
	}
})
