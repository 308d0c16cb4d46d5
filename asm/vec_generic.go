package asm

import "math"

func dotGeneric(x, y []float32) float32 {
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

func axpyGeneric(alpha float32, x, y []float32) {
	for i, v := range x {
		y[i] += alpha * v
	}
}

func scaleGeneric(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

func sumGeneric(x []float32) float32 {
	var s float32
	for _, v := range x {
		s += v
	}
	return s
}

func maxGeneric(x []float32) float32 {
	m := float32(math.Inf(-1))
	nan := len(x) > 0
	for _, v := range x {
		if v != v {
			continue
		}
		nan = false
		if v > m {
			m = v
		}
	}
	if nan {
		return float32(math.NaN())
	}
	return m
}

func expGeneric(dst, x []float32) {
	for i, v := range x {
		dst[i] = float32(math.Exp(float64(v)))
	}
}

func tanhGeneric(dst, x []float32) {
	for i, v := range x {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}

func geluGeneric(dst, x []float32) {
	for i, v := range x {
		f := float64(v)
		dst[i] = float32(0.5 * f * (1 + math.Erf(f/math.Sqrt2)))
	}
}

func geluBackwardGeneric(dx, x, dy []float32) {
	const invSqrt2Pi = 0.3989422804014327 // 1/√(2π)
	for i, v := range x {
		f := float64(v)
		cdf := 0.5 * (1 + math.Erf(f/math.Sqrt2))
		pdf := invSqrt2Pi * math.Exp(-0.5*f*f)
		dx[i] += dy[i] * float32(cdf+f*pdf)
	}
}

func siluGeneric(dst, x []float32) {
	for i, v := range x {
		f := float64(v)
		dst[i] = float32(f / (1 + math.Exp(-f)))
	}
}

func softmaxRowsGeneric(dst, x []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr := x[r*cols : (r+1)*cols]
		dr := dst[r*cols : (r+1)*cols]
		m := maxGeneric(xr)
		var s float32
		for j, v := range xr {
			e := float32(math.Exp(float64(v - m)))
			dr[j] = e
			s += e
		}
		inv := 1 / s
		for j := range dr {
			dr[j] *= inv
		}
	}
}

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
