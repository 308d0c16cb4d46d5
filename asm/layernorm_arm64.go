//go:build !purego

package asm

// The NEON layernorm leaves (layernorm_arm64.s), driven by lnLeaves: they
// cover the multiple-of-4 prefix of each chunk and lnLeaves finishes the
// last 0-3 elements with the same formulas.

//go:noescape
func lnSumNEON(x []float32) float32

//go:noescape
func lnSqDevNEON(x []float32, mu float32) float32

//go:noescape
func lnApplyNEON(dst, x, gamma, beta []float32, mu, rs float32)

//go:noescape
func lnBwdSumsNEON(dy, x, gamma, dgamma, dbeta []float32, mu, rs float32) (gSum, gxSum float32)

//go:noescape
func lnBwdDxNEON(dx, dy, x, gamma []float32, mu, rs, gMean, gxMean float32)

var lnNEON = &lnLeaves{sum: lnSumNEON, sqDev: lnSqDevNEON, apply: lnApplyNEON,
	bwdSums: lnBwdSumsNEON, bwdDx: lnBwdDxNEON, lanes: 4}

var _ = bind(func(l Level) {
	layerNorm, layerNormBwd = layerNormGeneric, layerNormBackwardGeneric
	if l == NEON {
		layerNorm, layerNormBwd = lnNEON.forward, lnNEON.backward
	}
})
