//go:build !purego

package asm

// geluNEON and geluBwdNEON are the NEON GELU forward and backward
// (gelu_arm64.s) over the multiple-of-4 prefix; the generic loops finish
// the last 0-3 elements.

//go:noescape
func geluNEON(dst, x []float32)

//go:noescape
func geluBwdNEON(dx, x, dy []float32)

var _ = bind(func(l Level) {
	gelu, geluBackward = geluGeneric, geluBackwardGeneric
	if l == NEON {
		gelu = func(dst, x []float32) {
			unaryChunked(func(d, s []float32) {
				n := len(d) &^ 3
				geluNEON(d[:n], s[:n])
				geluGeneric(d[n:], s[n:len(d)])
			}, dst, x)
		}
		geluBackward = func(dx, x, dy []float32) {
			ternaryChunked(func(a, b, c []float32) {
				n := len(a) &^ 3
				geluBwdNEON(a[:n], b[:n], c[:n])
				geluBackwardGeneric(a[n:], b[n:len(a)], c[n:len(a)])
			}, dx, x, dy)
		}
	}
})
