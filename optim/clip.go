package optim

import "math"

// sumSquares returns Σ g² of one gradient, accumulated in float64.
func sumSquares(g []float32) float64 {
	var s float64
	for _, x := range g {
		s += float64(x) * float64(x)
	}
	return s
}

// GradNorm is the value the reference logs as grad_norm
// (train_util._log_grad_norm): √(Σ_p (p.grad²).sum()), where each
// per-parameter sum is a float32 tensor turned into a Python float and the
// running total and the square root are float64. Called after clipping, so
// with clipping on it reports the clipped norm.
func GradNorm(params []Param) float64 {
	var total float64
	for _, p := range params {
		total += float64(float32(sumSquares(p.Grad)))
	}
	return math.Sqrt(total)
}

// ClipGradNorm scales all gradients in place so that their global L2 norm is
// at most maxNorm, as torch.nn.utils.clip_grad_norm_(params, maxNorm) does:
//
//	norm_p = ‖g_p‖₂ (float32)         total = ‖(norm_1, …, norm_P)‖₂ (float32)
//	coef   = min(maxNorm / (total + 1e-6), 1)   (float32)
//	g_p   ← coef · g_p
//
// It returns total, the norm before clipping. Like PyTorch's default
// (error_if_nonfinite=False) a NaN or Inf norm is not an error: the
// gradients become NaN and the caller sees it in the returned norm.
func ClipGradNorm(params []Param, maxNorm float64) float32 {
	var sq float64
	for _, p := range params {
		n := float32(math.Sqrt(sumSquares(p.Grad)))
		sq += float64(n) * float64(n)
	}
	total := float32(math.Sqrt(sq))
	coef := float32(maxNorm) / (total + float32(1e-6))
	if coef > 1 {
		coef = 1
	}
	if coef != 1 { // multiplying by exactly 1 changes nothing
		for _, p := range params {
			for i := range p.Grad {
				p.Grad[i] *= coef
			}
		}
	}
	return total
}
