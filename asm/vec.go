package asm

import "fmt"

// The vector kernels. Each exported function checks lengths and calls a
// function variable that the dispatcher points at the best implementation;
// the *Generic twins in vec_generic.go are the specification.

func sameLen(op string, n int, xs ...[]float32) {
	for _, x := range xs {
		if len(x) < n {
			panic(fmt.Sprintf("asm.%s: slice of length %d shorter than %d", op, len(x), n))
		}
	}
}

var (
	dot          = dotGeneric
	axpy         = axpyGeneric
	scale        = scaleGeneric
	sum          = sumGeneric
	maxf         = maxGeneric
	expv         = expGeneric
	tanhv        = tanhGeneric
	gelu         = geluGeneric
	geluBackward = geluBackwardGeneric
	silu         = siluGeneric
	softmaxRows  = softmaxRowsGeneric
	layerNorm    = layerNormGeneric
	layerNormBwd = layerNormBackwardGeneric
)

// Dot returns Σ x[i]·y[i] over i < len(x).
func Dot(x, y []float32) float32 { sameLen("Dot", len(x), y); return dot(x, y[:len(x)]) }

// Axpy computes y[i] += alpha·x[i] for i < len(x).
func Axpy(alpha float32, x, y []float32) { sameLen("Axpy", len(x), y); axpy(alpha, x, y[:len(x)]) }

// Scale computes x[i] *= alpha.
func Scale(alpha float32, x []float32) { scale(alpha, x) }

// Add computes dst[i] = x[i] + y[i] for i < len(dst). Memory-bound, so pure Go.
func Add(dst, x, y []float32) {
	sameLen("Add", len(dst), x, y)
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = x[i] + y[i]
	}
}

// Mul computes dst[i] = x[i] · y[i] for i < len(dst). Memory-bound, so pure Go.
func Mul(dst, x, y []float32) {
	sameLen("Mul", len(dst), x, y)
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = x[i] * y[i]
	}
}

// Sum returns Σ x[i] (0 for an empty slice).
func Sum(x []float32) float32 { return sum(x) }

// Max returns max x[i]; -Inf for an empty slice. NaNs are ignored unless
// every element is NaN.
func Max(x []float32) float32 { return maxf(x) }

// Exp computes dst[i] = e^x[i] for i < len(dst).
func Exp(dst, x []float32) { sameLen("Exp", len(dst), x); expv(dst, x[:len(dst)]) }

// Tanh computes dst[i] = tanh(x[i]) for i < len(dst).
func Tanh(dst, x []float32) { sameLen("Tanh", len(dst), x); tanhv(dst, x[:len(dst)]) }

// Gelu computes the erf form used by BERT: dst[i] = x·Φ(x) = ½x(1+erf(x/√2)).
func Gelu(dst, x []float32) { sameLen("Gelu", len(dst), x); gelu(dst, x[:len(dst)]) }

// GeluBackward accumulates dx[i] += dy[i]·GELU'(x[i]), where
// GELU'(x) = Φ(x) + x·φ(x).
func GeluBackward(dx, x, dy []float32) {
	sameLen("GeluBackward", len(dx), x, dy)
	geluBackward(dx, x[:len(dx)], dy[:len(dx)])
}

// Silu computes dst[i] = x[i]·σ(x[i]).
func Silu(dst, x []float32) { sameLen("Silu", len(dst), x); silu(dst, x[:len(dst)]) }

// SoftmaxRows writes the softmax of each of the rows×cols row-major rows of
// x into dst (which may alias x), subtracting the row max for stability.
func SoftmaxRows(dst, x []float32, rows, cols int) {
	sameLen("SoftmaxRows", rows*cols, dst, x)
	softmaxRows(dst, x, rows, cols)
}

// LayerNormRows normalises each row of x (rows×cols) to zero mean and unit
// variance (biased, as PyTorch), then applies gamma and beta:
// dst = (x-mean)·rstd·gamma + beta with rstd = 1/sqrt(var+eps). It stores the
// per-row mean and rstd for the backward pass.
func LayerNormRows(dst, x, gamma, beta, mean, rstd []float32, rows, cols int, eps float32) {
	sameLen("LayerNormRows", rows*cols, dst, x)
	sameLen("LayerNormRows", cols, gamma, beta)
	sameLen("LayerNormRows", rows, mean, rstd)
	layerNorm(dst, x, gamma, beta, mean, rstd, rows, cols, eps)
}

// LayerNormBackwardRows accumulates the gradients of LayerNormRows:
// dx += rstd·(g - mean(g) - x̂·mean(g·x̂)) with g = dy·gamma and
// x̂ = (x-mean)·rstd, dgamma += Σrows dy·x̂, dbeta += Σrows dy.
func LayerNormBackwardRows(dx, dgamma, dbeta, dy, x, gamma, mean, rstd []float32, rows, cols int) {
	sameLen("LayerNormBackwardRows", rows*cols, dx, dy, x)
	sameLen("LayerNormBackwardRows", cols, dgamma, dbeta, gamma)
	sameLen("LayerNormBackwardRows", rows, mean, rstd)
	layerNormBwd(dx, dgamma, dbeta, dy, x, gamma, mean, rstd, rows, cols)
}
