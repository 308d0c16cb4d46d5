//go:build !purego

package asm

import "math"

// The NEON layernorm: per row, the leaf kernels of layernorm_arm64.s run
// over the multiple-of-4 prefix of chunks of at most vecChunk elements and
// Go finishes the last 0-3 elements of each chunk with the same formulas.

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

var _ = bind(func(l Level) {
	layerNorm, layerNormBwd = layerNormGeneric, layerNormBackwardGeneric
	if l == NEON {
		layerNorm, layerNormBwd = layerNormNEON, layerNormBackwardNEON
	}
})

func layerNormNEON(dst, x, gamma, beta, mean, rstd []float32, rows, cols int, eps float32) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]   // (C)
		dr := dst[r*cols : (r+1)*cols] // (C)
		var s float32
		for c := 0; c < cols; c += vecChunk {
			xc := xr[c:min(c+vecChunk, cols)]
			s += lnSumNEON(xc)
			for _, v := range xc[len(xc)&^3:] {
				s += v
			}
		}
		mu := s / float32(cols)
		var vs float32
		for c := 0; c < cols; c += vecChunk {
			xc := xr[c:min(c+vecChunk, cols)]
			vs += lnSqDevNEON(xc, mu)
			for _, v := range xc[len(xc)&^3:] {
				vs += (v - mu) * (v - mu)
			}
		}
		rs := float32(1 / math.Sqrt(float64(vs/float32(cols)+eps)))
		mean[r], rstd[r] = mu, rs
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			lnApplyNEON(dr[c:e], xr[c:e], gamma[c:e], beta[c:e], mu, rs)
			for j := c + (e-c)&^3; j < e; j++ {
				dr[j] = (xr[j]-mu)*rs*gamma[j] + beta[j]
			}
		}
	}
}

func layerNormBackwardNEON(dx, dgamma, dbeta, dy, x, gamma, mean, rstd []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]   // (C)
		dyr := dy[r*cols : (r+1)*cols] // (C)
		dxr := dx[r*cols : (r+1)*cols] // (C)
		mu, rs := mean[r], rstd[r]
		var gSum, gxSum float32
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			g, gx := lnBwdSumsNEON(dyr[c:e], xr[c:e], gamma[c:e], dgamma[c:e], dbeta[c:e], mu, rs)
			gSum += g
			gxSum += gx
			for j := c + (e-c)&^3; j < e; j++ {
				xhat := (xr[j] - mu) * rs
				g := dyr[j] * gamma[j]
				gSum += g
				gxSum += g * xhat
				dgamma[j] += dyr[j] * xhat
				dbeta[j] += dyr[j]
			}
		}
		gMean, gxMean := gSum/float32(cols), gxSum/float32(cols)
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			lnBwdDxNEON(dxr[c:e], dyr[c:e], xr[c:e], gamma[c:e], mu, rs, gMean, gxMean)
			for j := c + (e-c)&^3; j < e; j++ {
				xhat := (xr[j] - mu) * rs
				dxr[j] += rs * (dyr[j]*gamma[j] - gMean - xhat*gxMean)
			}
		}
	}
}
