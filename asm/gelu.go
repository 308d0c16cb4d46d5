package asm

// Gelu computes the erf form used by BERT: dst[i] = x·Φ(x) = ½x(1+erf(x/√2)).
// x must be at least as long as dst; dst may alias x.
//
// Reference loop (geluGeneric), in float64:
//
//	dst[i] = float32(0.5 * x * math.Erfc(-x/math.Sqrt2))  // = ½x(1+erf(x/√2))
//
// Accuracy contract, all levels: within 8 ulp (≈ 1e-6 relative) of the
// reference, or 1e-37 absolute for results below the normal range; the
// relative accuracy holds in the far negative tail too, where Φ(x) is
// computed as ½erfc(|x|/√2) rather than 1+erf. (Measured on AVX2: 7 ulp.) Gelu(NaN) = NaN,
// Gelu(+Inf) = +Inf, Gelu(-Inf) = NaN (-Inf·0, as the reference).
func Gelu(dst, x []float32) {
	sameLen("Gelu", len(dst), x)
	gelu(dst, x[:len(dst)])
}

// GeluBackward accumulates dx[i] += dy[i]·GELU'(x[i]), where
// GELU'(x) = Φ(x) + x·φ(x) and φ(x) = e^(-x²/2)/√(2π). x and dy must be at
// least as long as dx.
//
// Reference loop (geluBackwardGeneric), in float64:
//
//	cdf := 0.5 * math.Erfc(-x/math.Sqrt2)
//	pdf := math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi)
//	dx[i] += dy[i] * float32(cdf+x*pdf)
//
// Accuracy contract: GELU'(x), before the multiply-add into dx, is within
// 1e-6 relative of the reference, or 8·2⁻²⁴·(Φ(x) + |x|·φ(x)) absolute
// where the two terms cancel (around the root of GELU' at x ≈ -0.75, a
// float32 evaluation cannot do better), plus 1e-37.
func GeluBackward(dx, x, dy []float32) {
	sameLen("GeluBackward", len(dx), x, dy)
	geluBackward(dx, x[:len(dx)], dy[:len(dx)])
}

var (
	gelu         = geluGeneric
	geluBackward = geluBackwardGeneric
)

// ternaryChunked feeds a three-slice leaf kernel bounded pieces.
func ternaryChunked(leaf func(a, b, c []float32), a, b, c []float32) {
	for len(a) > vecChunk {
		leaf(a[:vecChunk], b[:vecChunk], c[:vecChunk])
		a, b, c = a[vecChunk:], b[vecChunk:], c[vecChunk:]
	}
	leaf(a, b, c)
}
