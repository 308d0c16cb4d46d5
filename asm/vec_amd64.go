//go:build !purego

package asm

// Sum reuses the layernorm's summing leaf (layernorm_amd64.s).
var _ = bind(func(l Level) {
	sum = sumGeneric
	if l == AVX2 {
		sum = func(x []float32) float32 { return sumChunked(lnSumAVX2, x) }
	}
})
