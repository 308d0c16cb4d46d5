//go:build !purego

package asm

// Sum reuses the layernorm's summing leaf (layernorm_arm64.s), which
// covers the multiple-of-4 prefix of each chunk.
var _ = bind(func(l Level) {
	sum = sumGeneric
	if l == NEON {
		sum = func(x []float32) float32 {
			return sumChunked(func(c []float32) float32 {
				s := lnSumNEON(c)
				for _, v := range c[len(c)&^3:] {
					s += v
				}
				return s
			}, x)
		}
	}
})
