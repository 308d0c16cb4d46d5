package tensor

import "math"

// The batched Box-Muller of FillNormal. Per draw it runs exactly the
// operations of Normal (detLog, detCos2Pi, sqrt64), in the same order and
// with the same roundings, so the values are the same bits; only the
// schedule differs. Four draws are computed side by side in separate
// variables, which lets the CPU overlap their long dependency chains
// (each polynomial is a chain of 20-odd dependent float64 operations),
// and the data-dependent branches of detLog and detCos2Pi become bit
// selects, because their outcomes are random and a mispredicted branch
// costs as much as a dozen multiplies.

const normalBatch = 4

// boxMullerBatch sets z[k] = √(−2·ln u1[k])·cos(2π·u2[k]) for u1[k] in
// [2⁻⁵³, 1] (normal floats) and u2[k] in [0, 1): the range of Normal's
// draws.
func boxMullerBatch(z, u1, u2 *[normalBatch]float64) {
	var lg, cs [normalBatch]float64
	detLogBatch(&lg, u1)
	detCos2PiBatch(&cs, u2)
	for k := range normalBatch {
		z[k] = float64(sqrt64(float64(-2*lg[k])) * cs[k])
	}
}

// horner4 is horner on four arguments at once: Σ c[k]·z^k, one rounding
// per operation, in horner's order.
func horner4(z0, z1, z2, z3 float64, c []float64) (p0, p1, p2, p3 float64) {
	n := len(c) - 1
	p0, p1, p2, p3 = c[n], c[n], c[n], c[n]
	for k := n - 1; k >= 0; k-- {
		ck := c[k]
		p0 = float64(p0*z0) + ck
		p1 = float64(p1*z1) + ck
		p2 = float64(p2*z2) + ck
		p3 = float64(p3*z3) + ck
	}
	return
}

// selectF is c ? x : y by bits (c is all ones or zero).
func selectF(c uint64, x, y float64) float64 {
	return math.Float64frombits(math.Float64bits(x)&c | math.Float64bits(y)&^c)
}

// allOnes is 2⁶⁴−1 if b, else 0, without a branch.
func allOnes(b bool) uint64 {
	var v uint64
	if b {
		v = 1
	}
	return -v
}

// frexpAdjusted is detLog's range reduction for a normal x > 0: x = f·2^e
// with f in [√½, √2). Frexp's f in [0.5, 1) keeps x's mantissa with the
// exponent of 0.5, and the test f < √½ is then a compare of mantissas;
// doubling f is a change of exponent.
func frexpAdjusted(x float64) (f, e float64) {
	const mant = 1<<52 - 1
	b := math.Float64bits(x)
	lo := allOnes(b&mant < math.Float64bits(math.Sqrt2/2)&mant) & 1
	f = math.Float64frombits(b&mant | (1022+lo)<<52)
	return f, float64(int64(b>>52) - 1022 - int64(lo))
}

// detLogBatch is detLog for normal positive x.
func detLogBatch(out, x *[normalBatch]float64) {
	var s, fe [normalBatch]float64
	for k := range normalBatch {
		f, e := frexpAdjusted(x[k])
		s[k], fe[k] = (f-1)/(f+1), e
	}
	p0, p1, p2, p3 := horner4(float64(s[0]*s[0]), float64(s[1]*s[1]), float64(s[2]*s[2]), float64(s[3]*s[3]), atanhCoef[:])
	for k, p := range [normalBatch]float64{p0, p1, p2, p3} {
		logf := float64(2 * float64(s[k]*p))
		out[k] = float64(fe[k]*ln2Hi) + float64(logf+float64(fe[k]*ln2Lo))
	}
}

// detCos2PiBatch is detCos2Pi for u in [0, 1): both of its final
// polynomials are evaluated and the right one selected.
func detCos2PiBatch(out, u *[normalBatch]float64) {
	var xs, xc, sign [normalBatch]float64
	var useSin [normalBatch]uint64
	for k := range normalBatch {
		a := u[k]
		a = selectF(allOnes(a >= 0.5), 1-a, a)
		neg := allOnes(a > 0.25)
		a = selectF(neg, 0.5-a, a)
		sign[k] = selectF(neg, -1, 1)
		useSin[k] = allOnes(a > 0.125)
		xs[k] = float64(2 * math.Pi * (0.25 - a))
		xc[k] = float64(2 * math.Pi * a)
	}
	s0, s1, s2, s3 := horner4(float64(xs[0]*xs[0]), float64(xs[1]*xs[1]), float64(xs[2]*xs[2]), float64(xs[3]*xs[3]), sinCoef[:])
	c0, c1, c2, c3 := horner4(float64(xc[0]*xc[0]), float64(xc[1]*xc[1]), float64(xc[2]*xc[2]), float64(xc[3]*xc[3]), cosCoef[:])
	ps := [normalBatch]float64{s0, s1, s2, s3}
	pc := [normalBatch]float64{c0, c1, c2, c3}
	for k := range normalBatch {
		out[k] = sign[k] * selectF(useSin[k], float64(xs[k]*ps[k]), pc[k])
	}
}
