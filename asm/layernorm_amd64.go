//go:build !purego

package asm

import "math"

// The AVX2+FMA layernorm: per row, leaf kernels (layernorm_amd64.s,
// layernorm_backward_amd64.s) run over chunks of at most vecChunk elements
// and Go combines their partial sums in order.

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

var _ = bind(func(l Level) {
	layerNorm, layerNormBwd = layerNormGeneric, layerNormBackwardGeneric
	if l == AVX2 {
		layerNorm, layerNormBwd = layerNormAVX2, layerNormBackwardAVX2
	}
})

func layerNormAVX2(dst, x, gamma, beta, mean, rstd []float32, rows, cols int, eps float32) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]   // (C)
		dr := dst[r*cols : (r+1)*cols] // (C)
		var s float32
		for c := 0; c < cols; c += vecChunk {
			s += lnSumAVX2(xr[c:min(c+vecChunk, cols)])
		}
		mu := s / float32(cols)
		var vs float32
		for c := 0; c < cols; c += vecChunk {
			vs += lnSqDevAVX2(xr[c:min(c+vecChunk, cols)], mu)
		}
		rs := float32(1 / math.Sqrt(float64(vs/float32(cols)+eps)))
		mean[r], rstd[r] = mu, rs
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			lnApplyAVX2(dr[c:e], xr[c:e], gamma[c:e], beta[c:e], mu, rs)
		}
	}
}

func layerNormBackwardAVX2(dx, dgamma, dbeta, dy, x, gamma, mean, rstd []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]   // (C)
		dyr := dy[r*cols : (r+1)*cols] // (C)
		dxr := dx[r*cols : (r+1)*cols] // (C)
		mu, rs := mean[r], rstd[r]
		var gSum, gxSum float32
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			g, gx := lnBwdSumsAVX2(dyr[c:e], xr[c:e], gamma[c:e], dgamma[c:e], dbeta[c:e], mu, rs)
			gSum += g
			gxSum += gx
		}
		gMean, gxMean := gSum/float32(cols), gxSum/float32(cols)
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			lnBwdDxAVX2(dxr[c:e], dyr[c:e], xr[c:e], gamma[c:e], mu, rs, gMean, gxMean)
		}
	}
}
