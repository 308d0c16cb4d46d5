package asm

// LayerNormRows normalises each row of x (rows×cols) to zero mean and unit
// variance (biased, as PyTorch), then applies gamma and beta:
// dst = (x-mean)·rstd·gamma + beta with rstd = 1/sqrt(var+eps). It stores the
// per-row mean and rstd for the backward pass.
//
// Reference loop (layerNormGeneric), per row: mean = Σx/cols; var =
// Σ(x-mean)²/cols (two passes, no E[x²]-E[x]² cancellation); then the
// affine map.
//
// Accuracy contract: mean, rstd and dst agree with the reference within
// c·cols·2⁻²⁴ relative (different summation order and FMAs).
func LayerNormRows(dst, x, gamma, beta, mean, rstd []float32, rows, cols int, eps float32) {
	sameLen("LayerNormRows", rows*cols, dst, x)
	sameLen("LayerNormRows", cols, gamma, beta)
	sameLen("LayerNormRows", rows, mean, rstd)
	layerNorm(dst, x, gamma, beta, mean, rstd, rows, cols, eps)
}

// LayerNormBackwardRows accumulates the gradients of LayerNormRows:
// dx += rstd·(g - mean(g) - x̂·mean(g·x̂)) with g = dy·gamma and
// x̂ = (x-mean)·rstd, dgamma += Σrows dy·x̂, dbeta += Σrows dy.
//
// Reference loop: layerNormBackwardGeneric. Accuracy contract as for
// LayerNormRows.
func LayerNormBackwardRows(dx, dgamma, dbeta, dy, x, gamma, mean, rstd []float32, rows, cols int) {
	sameLen("LayerNormBackwardRows", rows*cols, dx, dy, x)
	sameLen("LayerNormBackwardRows", cols, dgamma, dbeta, gamma)
	sameLen("LayerNormBackwardRows", rows, mean, rstd)
	layerNormBwd(dx, dgamma, dbeta, dy, x, gamma, mean, rstd, rows, cols)
}

var (
	layerNorm    = layerNormGeneric
	layerNormBwd = layerNormBackwardGeneric
)
