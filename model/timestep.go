package model

import (
	"math"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// TimestepEmbedding is the sinusoidal embedding of reference 2.3 for the
// network timesteps τ (B), giving (B, dim): with half = dim/2,
// freq_k = exp(−ln(10000)·k/half) and arg_k = τ·freq_k, the row is
// [cos(arg_0..arg_{half−1}), sin(arg_0..arg_{half−1})] — cosines first —
// plus a zero column when dim is odd. Like the reference it works in
// float32: the frequencies and the products are rounded to float32 before
// cos/sin, which matters at τ ≈ 1000.
func TimestepEmbedding(tau []float32, dim int) *tensor.Tensor {
	out := tensor.New(len(tau), dim) // (B, d_t)
	half := dim / 2
	freq := make([]float32, half)
	c := float32(-math.Log(10000))
	for k := range freq {
		freq[k] = float32(math.Exp(float64(c * float32(k) / float32(half))))
	}
	d := out.Data()
	for b, t := range tau {
		row := d[b*dim : (b+1)*dim]
		for k, f := range freq {
			arg := float64(t * f)
			row[k] = float32(math.Cos(arg))
			row[half+k] = float32(math.Sin(arg))
		}
	}
	return out
}
