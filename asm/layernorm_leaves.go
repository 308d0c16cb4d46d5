package asm

import "math"

// lnLeaves is one level's set of layernorm leaf kernels and the row loop
// that drives them: per row, the leaves run over chunks of at most
// vecChunk elements and the partial sums are combined here in order.
// With lanes > 1 a leaf covers only the multiple-of-lanes prefix of its
// chunk (NEON) and the loop finishes the last elements with the same
// formulas; lanes = 1 leaves handle whole chunks (AVX2, by masking).
type lnLeaves struct {
	sum     func(x []float32) float32
	sqDev   func(x []float32, mu float32) float32
	apply   func(dst, x, gamma, beta []float32, mu, rs float32)
	bwdSums func(dy, x, gamma, dgamma, dbeta []float32, mu, rs float32) (gSum, gxSum float32)
	bwdDx   func(dx, dy, x, gamma []float32, mu, rs, gMean, gxMean float32)
	lanes   int
}

// done is how many of n elements the leaves cover.
func (k *lnLeaves) done(n int) int { return n / k.lanes * k.lanes }

func (k *lnLeaves) forward(dst, x, gamma, beta, mean, rstd []float32, rows, cols int, eps float32) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]   // (C)
		dr := dst[r*cols : (r+1)*cols] // (C)
		var s float32
		for c := 0; c < cols; c += vecChunk {
			xc := xr[c:min(c+vecChunk, cols)]
			s += k.sum(xc)
			for _, v := range xc[k.done(len(xc)):] {
				s += v
			}
		}
		mu := s / float32(cols)
		var vs float32
		for c := 0; c < cols; c += vecChunk {
			xc := xr[c:min(c+vecChunk, cols)]
			vs += k.sqDev(xc, mu)
			for _, v := range xc[k.done(len(xc)):] {
				vs += (v - mu) * (v - mu)
			}
		}
		rs := float32(1 / math.Sqrt(float64(vs/float32(cols)+eps)))
		mean[r], rstd[r] = mu, rs
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			k.apply(dr[c:e], xr[c:e], gamma[c:e], beta[c:e], mu, rs)
			for j := c + k.done(e-c); j < e; j++ {
				dr[j] = (xr[j]-mu)*rs*gamma[j] + beta[j]
			}
		}
	}
}

func (k *lnLeaves) backward(dx, dgamma, dbeta, dy, x, gamma, mean, rstd []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]   // (C)
		dyr := dy[r*cols : (r+1)*cols] // (C)
		dxr := dx[r*cols : (r+1)*cols] // (C)
		mu, rs := mean[r], rstd[r]
		var gSum, gxSum float32
		for c := 0; c < cols; c += vecChunk {
			e := min(c+vecChunk, cols)
			g, gx := k.bwdSums(dyr[c:e], xr[c:e], gamma[c:e], dgamma[c:e], dbeta[c:e], mu, rs)
			gSum += g
			gxSum += gx
			for j := c + k.done(e-c); j < e; j++ {
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
			k.bwdDx(dxr[c:e], dyr[c:e], xr[c:e], gamma[c:e], mu, rs, gMean, gxMean)
			for j := c + k.done(e-c); j < e; j++ {
				xhat := (xr[j] - mu) * rs
				dxr[j] += rs * (dyr[j]*gamma[j] - gMean - xhat*gxMean)
			}
		}
	}
}
