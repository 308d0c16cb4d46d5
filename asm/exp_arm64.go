//go:build !purego

package asm

// expNEON computes dst[i] = e^x[i] for i < len(dst)&^3 (len(x) ≥ len(dst)).
// See exp_arm64.s and the EXP_NEON macro in exp_arm64.h.
//
//go:noescape
func expNEON(dst, x []float32)

var _ = bind(func(l Level) {
	expv = expGeneric
	if l == NEON {
		expv = func(dst, x []float32) { unaryChunked(expNEONTail, dst, x) }
	}
})

// expNEONTail runs the kernel on the multiple-of-4 prefix and the generic
// loop on the rest.
func expNEONTail(dst, x []float32) {
	n := len(dst) &^ 3
	expNEON(dst[:n], x[:n])
	expGeneric(dst[n:], x[n:len(dst)])
}
