//go:build !purego

package asm

// expAVX2 computes dst[i] = e^x[i] for i < len(dst) (len(x) ≥ len(dst)).
// See exp_amd64.s and the EXP_AVX2 macro in exp_amd64.h.
//
//go:noescape
func expAVX2(dst, x []float32)

var _ = bind(func(l Level) {
	expv = expGeneric
	if l == AVX2 {
		expv = func(dst, x []float32) { unaryChunked(expAVX2, dst, x) }
	}
})
