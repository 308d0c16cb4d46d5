package diffuseq

import (
	"fmt"
	"math"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// DiffuSeq-v2's learned soft absorbing state m ∈ R^d (reference 6.2): the
// forward process of the generated positions drifts to N(m, I) instead of
// N(0, I),
//
//	x_t = m + √ᾱ_t·(x_0 − m) + √(1−ᾱ_t)·ε,
//
// i.e. y = x − m follows the v1 process exactly. Every sampler here handles
// m the same way: it works on y (subtract m from the state and from x̂_0,
// take the v1 update, add m back). For the ancestral step this gives the
// exact posterior mean c1·x̂_0 + c2·x_t + (1 − c1 − c2)·m, which the
// reference's v2 sampler gets wrong by dropping the last term (6.6,
// documented in docs/samplers.md).

// addRows adds s·m to every d-vector of x in place. x: (…, d); m: (d).
func addRows(x []float32, m []float32, s float32) {
	dim := len(m)
	for off := 0; off < len(x); off += dim {
		row := x[off : off+dim]
		for k, v := range m {
			row[k] += s * v
		}
	}
}

// shifted returns x − m (a new tensor), or x itself when m is nil.
func shifted(x *tensor.Tensor, m []float32) *tensor.Tensor {
	if m == nil {
		return x
	}
	out := x.Contiguous().Clone()
	addRows(out.Data(), m, -1)
	return out
}

// unshift adds m back in place (no-op for nil m).
func unshift(x *tensor.Tensor, m []float32) {
	if m != nil {
		addRows(x.Data(), m, 1)
	}
}

func checkMeanEmbed(op string, m []float32, dim int) {
	if m != nil && len(m) != dim {
		panic(fmt.Sprintf("diffuseq.%s: mean_embed has %d entries for d = %d", op, len(m), dim))
	}
}

// AbsorbingStart is the v2 decoder's x_T (6.6): the clean source
// embeddings where mask = 0 and m + z elsewhere (z the given N(0, I)
// noise). With m nil it is DecodingStart.
//
//	xStart, noise: (B, L, d); mask: (B, L); meanEmbed: (d) or nil
func AbsorbingStart(xStart, noise *tensor.Tensor, mask []int, meanEmbed []float32) *tensor.Tensor {
	_, _, dim := dims3("AbsorbingStart", xStart)
	checkMeanEmbed("AbsorbingStart", meanEmbed, dim)
	z := noise.Contiguous().Clone()
	unshift(z, meanEmbed)
	return DecodingStart(xStart, z, mask)
}

// absorb is v2's sampling-time discrete noise: every position (vector)
// of x is replaced by m with probability q, independently. The Bernoulli
// draws come from opt.Noise, one standard normal per position in
// row-major order, firing when z < Φ⁻¹(q) (probability q), so no second
// random source is needed. The source is re-imposed afterwards anyway.
func absorb(x *tensor.Tensor, opt *SampleOptions, q float64) {
	if q <= 0 {
		return
	}
	dim := len(opt.MeanEmbed)
	data := x.Data()
	z := make([]float32, len(data)/dim)
	opt.Noise.FillNormal(z, 0, 1)
	thr := math.Inf(1)
	if q < 1 {
		thr = math.Sqrt2 * math.Erfinv(2*q-1) // Φ⁻¹(q)
	}
	for j, v := range z {
		if float64(v) < thr {
			copy(data[j*dim:(j+1)*dim], opt.MeanEmbed)
		}
	}
}
