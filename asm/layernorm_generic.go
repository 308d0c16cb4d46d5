package asm

import "math"

// layerNormGeneric is the specification of LayerNormRows.
func layerNormGeneric(dst, x, gamma, beta, mean, rstd []float32, rows, cols int, eps float32) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]
		dr := dst[r*cols : (r+1)*cols]
		var s float32
		for _, v := range xr {
			s += v
		}
		mu := s / float32(cols)
		var vs float32
		for _, v := range xr {
			d := v - mu
			vs += d * d
		}
		rs := float32(1 / math.Sqrt(float64(vs/float32(cols)+eps)))
		mean[r], rstd[r] = mu, rs
		for j, v := range xr {
			dr[j] = (v-mu)*rs*gamma[j] + beta[j]
		}
	}
}

// layerNormBackwardGeneric is the specification of LayerNormBackwardRows.
// With x̂ = (x-μ)·rstd and g = dy·γ:
// dx = rstd·(g - mean(g) - x̂·mean(g·x̂)), dγ = Σ dy·x̂, dβ = Σ dy.
func layerNormBackwardGeneric(dx, dgamma, dbeta, dy, x, gamma, mean, rstd []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]
		dyr := dy[r*cols : (r+1)*cols]
		dxr := dx[r*cols : (r+1)*cols]
		mu, rs := mean[r], rstd[r]
		// g = dy·gamma; need mean(g) and mean(g·x̂).
		var gSum, gxSum float32
		for j, v := range xr {
			xhat := (v - mu) * rs
			g := dyr[j] * gamma[j]
			gSum += g
			gxSum += g * xhat
			dgamma[j] += dyr[j] * xhat
			dbeta[j] += dyr[j]
		}
		gMean, gxMean := gSum/float32(cols), gxSum/float32(cols)
		for j, v := range xr {
			xhat := (v - mu) * rs
			dxr[j] += rs * (dyr[j]*gamma[j] - gMean - xhat*gxMean)
		}
	}
}
