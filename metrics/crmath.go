package metrics

import "math"

// The reference's BLEU code calls C's log and exp (glibc), whose results
// are correctly rounded except in extremely rare cases. Go's math.Log and
// math.Exp are accurate to within 1 ulp, and so they differ from glibc in
// the last bit for about one BLEU value in ten. That does not matter for
// means, but it flips exact ties in MBR selection (duplicate candidates
// are common). BLEU here therefore uses logCR and expCR, which evaluate in
// double-double arithmetic (about 100 correct bits) and round once, giving
// the correctly rounded result. testdata/metrics/nltk.json holds thousands
// of Python math.log/math.exp values that they reproduce exactly.

// Every product below is wrapped in float64(...): Go may fuse x*y + z into
// one FMA on arm64 (and other FMA machines), which would break the
// error-free transformations (twoSum, twoProd) that double-double
// arithmetic relies on. An explicit conversion forces the rounding.

// dd is an unevaluated sum hi + lo of two float64s with |lo| <= ulp(hi)/2:
// about 106 bits of precision.
type dd struct{ hi, lo float64 }

// twoSum returns a+b exactly as a normalised dd (Knuth's algorithm).
func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

// twoProd returns a·b exactly as a dd, by a fused multiply-add.
func twoProd(a, b float64) dd {
	p := float64(a * b)
	return dd{p, math.FMA(a, b, -p)}
}

func (x dd) add(y dd) dd {
	s := twoSum(x.hi, y.hi)
	t := twoSum(x.lo, y.lo)
	s = twoSum(s.hi, s.lo+t.hi)
	return twoSum(s.hi, s.lo+t.lo)
}

func (x dd) mul(y dd) dd {
	p := twoProd(x.hi, y.hi)
	return twoSum(p.hi, p.lo+(float64(x.hi*y.lo)+float64(x.lo*y.hi)))
}

func (x dd) mulFloat(f float64) dd {
	p := twoProd(x.hi, f)
	return twoSum(p.hi, p.lo+float64(x.lo*f))
}

// divFloat returns x/f: a first quotient, its exact remainder, and a
// correction quotient.
func (x dd) divFloat(f float64) dd {
	q1 := x.hi / f
	p := twoProd(q1, f)
	s := twoSum(x.hi, -p.hi)
	q2 := (s.hi + (s.lo - p.lo + x.lo)) / f
	return twoSum(q1, q2)
}

// ln2DD is ln 2 to about 107 bits.
var ln2DD = dd{0.6931471805599453, 2.3190468138462996e-17}

// expTerms is the number of Taylor terms of e^t − 1 and expHalvings the
// argument halvings: |t| <= ln2/2 / 2^6 < 2^-7.4, so the first omitted term
// t^12/12! is below 2^-110 relative to t.
const (
	expTerms    = 11
	expHalvings = 6
)

// invFactorial[k] = 1/k! as double-doubles, k = 0..expTerms.
var invFactorial = func() (f [expTerms + 1]dd) {
	f[0] = dd{1, 0}
	for k := 1; k <= expTerms; k++ {
		f[k] = f[k-1].divFloat(float64(k))
	}
	return f
}()

// expDD returns m and k with e^x = m·2^k, m in [0.7, 1.5] to about 100
// bits, for finite |x| <= 700. x = k·ln2 + r; e^t − 1 for t = r/2^6 is the
// Taylor polynomial t·Σ t^(j−1)/j! in Horner form, squared back up with
// e^(2t) − 1 = p(p + 2) six times.
func expDD(x float64) (m dd, k int) {
	kf := math.Round(x / ln2DD.hi)
	kln2 := twoProd(kf, ln2DD.hi)
	r := twoSum(x, -kln2.hi).add(dd{-kln2.lo, 0}).add(dd{float64(-kf * ln2DD.lo), 0})
	t := dd{math.Ldexp(r.hi, -expHalvings), math.Ldexp(r.lo, -expHalvings)}
	p := invFactorial[expTerms]
	for j := expTerms - 1; j >= 1; j-- {
		p = p.mul(t).add(invFactorial[j])
	}
	p = p.mul(t) // e^t − 1
	for range expHalvings {
		p = p.mul(p.add(dd{2, 0}))
	}
	return dd{1, 0}.add(p), int(kf)
}

// expCR is e^x correctly rounded (outside |x| <= 700 it falls back to
// math.Exp; BLEU never gets there).
func expCR(x float64) float64 {
	if math.IsNaN(x) || math.Abs(x) > 700 {
		return math.Exp(x)
	}
	m, k := expDD(x)
	return math.Ldexp(m.hi+m.lo, k)
}

// logCR is ln x correctly rounded for normal positive x (other inputs go
// to math.Log). One Newton step from y0 = math.Log(x):
// ln x = y0 + ln u with u = x·e^(−y0) ≈ 1, and ln u = t − t²/2 + …, t = u − 1.
func logCR(x float64) float64 {
	if !(x >= 0x1p-1000 && x <= 0x1p1000) {
		return math.Log(x)
	}
	y0 := math.Log(x)
	m, k := expDD(-y0)
	t := m.mulFloat(math.Ldexp(x, k)).add(dd{-1, 0})
	t = t.add(dd{float64(-0.5 * t.hi * t.hi), 0})
	y := dd{y0, 0}.add(t)
	return y.hi + y.lo
}
