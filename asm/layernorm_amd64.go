//go:build !purego

package asm

// The AVX2+FMA layernorm leaves (layernorm_amd64.s,
// layernorm_backward_amd64.s), driven by lnLeaves; they mask their own
// tails, so they take whole chunks.

//go:noescape
func lnSumAVX2(x []float32) float32

//go:noescape
func lnSqDevAVX2(x []float32, mu float32) float32

//go:noescape
func lnApplyAVX2(dst, x, gamma, beta []float32, mu, rs float32)

//go:noescape
func lnBwdSumsAVX2(dy, x, gamma, dgamma, dbeta []float32, mu, rs float32) (gSum, gxSum float32)

//go:noescape
func lnBwdDxAVX2(dx, dy, x, gamma []float32, mu, rs, gMean, gxMean float32)

var lnAVX2 = &lnLeaves{sum: lnSumAVX2, sqDev: lnSqDevAVX2, apply: lnApplyAVX2,
	bwdSums: lnBwdSumsAVX2, bwdDx: lnBwdDxAVX2, lanes: 1}

var _ = bind(func(l Level) {
	layerNorm, layerNormBwd = layerNormGeneric, layerNormBackwardGeneric
	if l == AVX2 {
		layerNorm, layerNormBwd = lnAVX2.forward, lnAVX2.backward
	}
})
