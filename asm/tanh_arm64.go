//go:build !purego

package asm

// tanhNEON computes dst[i] = tanh(x[i]) for i < len(dst)&^3 (tanh_arm64.s).
//
//go:noescape
func tanhNEON(dst, x []float32)

var _ = bind(func(l Level) {
	tanhv = tanhGeneric
	if l == NEON {
		tanhv = func(dst, x []float32) {
			unaryChunked(func(d, s []float32) {
				n := len(d) &^ 3
				tanhNEON(d[:n], s[:n])
				tanhGeneric(d[n:], s[n:len(d)])
			}, dst, x)
		}
	}
})
