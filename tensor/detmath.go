package tensor

import "math"

// Deterministic log and cosine for the RNG's Box-Muller transform.
//
// Every step is a single IEEE-754 operation whose result is rounded on its
// own: the explicit float64(...) around each product forbids the compiler
// from fusing it with the following addition (the Go spec allows fusion
// unless an explicit conversion intervenes, and the arm64 backend does fuse).
// Frexp, Ldexp-free scaling by 2, Sterbenz-exact subtractions and sqrt are
// exact or correctly rounded everywhere, so the results are the same bits on
// every platform. They are accurate to a few ulp, which is plenty for
// sampling; bit-identity is the point.

// sqrt64 is math.Sqrt, which IEEE-754 requires to be correctly rounded (a
// single instruction on amd64 and arm64, and exact software elsewhere).
func sqrt64(x float64) float64 { return math.Sqrt(x) }

// ln2Hi + ln2Lo = ln 2, with ln2Hi holding few enough bits that e·ln2Hi is
// exact for any float64 exponent e.
const (
	ln2Hi = 6.93147180369123816490e-01 // 0x3fe62e42fee00000
	ln2Lo = 1.90821492927058770002e-10 // 0x3dea39ef35793c76
)

// atanhCoef[k] = 1/(2k+1): log f = 2·atanh(s) = 2s·Σ s^(2k)/(2k+1) with
// s = (f-1)/(f+1). For f in [√½, √2), |s| ≤ 0.1716 and s² ≤ 0.0295, so 12
// terms leave a truncation error below 1e-19 relative.
var atanhCoef = [...]float64{1, 1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9, 1.0 / 11, 1.0 / 13,
	1.0 / 15, 1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23}

// detLog returns ln x for finite x > 0 (the RNG only calls it on (0, 1]).
func detLog(x float64) float64 {
	f, e := math.Frexp(x) // x = f·2^e, f in [0.5, 1): exact
	if f < math.Sqrt2/2 {
		f *= 2 // exact
		e--
	}
	s := (f - 1) / (f + 1) // f-1 is exact (Sterbenz)
	z := float64(s * s)
	p := horner(z, atanhCoef[:])
	logf := float64(2 * float64(s*p))
	fe := float64(e)
	return float64(fe*ln2Hi) + float64(logf+float64(fe*ln2Lo))
}

// cosCoef and sinCoef are the Taylor coefficients in x² of cos x and
// sin x / x: (-1)^k/(2k)! and (-1)^k/(2k+1)!. On [0, π/4] the first omitted
// term is below 1e-18.
var (
	cosCoef = [...]float64{1, -1.0 / 2, 1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800,
		1.0 / 479001600, -1.0 / 87178291200, 1.0 / 20922789888000, -1.0 / 6402373705728000}
	sinCoef = [...]float64{1, -1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800,
		1.0 / 6227020800, -1.0 / 1307674368000, 1.0 / 355687428096000, -1.0 / 121645100408832000}
)

// detCos2Pi returns cos(2π·u) for u in [0, 1). The argument is reduced in
// turns, where every step is exact for such u: by symmetry to a in [0, ¼],
// then to cos(2πa) on [0, ⅛] or sin(2π(¼-a)) on (0, ⅛).
func detCos2Pi(u float64) float64 {
	a := u
	if a >= 0.5 {
		a = 1 - a // cos(2π(1-u)) = cos(2πu)
	}
	sign := 1.0
	if a > 0.25 {
		a = 0.5 - a // cos(2π(½-a)) = -cos(2πa)
		sign = -1
	}
	if a > 0.125 {
		x := float64(2 * math.Pi * (0.25 - a)) // cos(2πa) = sin(2π(¼-a))
		return sign * float64(x*horner(float64(x*x), sinCoef[:]))
	}
	x := float64(2 * math.Pi * a)
	return sign * horner(float64(x*x), cosCoef[:])
}

// horner evaluates Σ c[k]·z^k with one rounding per operation. It is
// unrolled for the three fixed-length tables (the loop with bounds checks
// cost more than the arithmetic); the operation order is the same.
func horner(z float64, c []float64) float64 {
	if len(c) == 10 {
		p := c[9]
		p = float64(p*z) + c[8]
		p = float64(p*z) + c[7]
		p = float64(p*z) + c[6]
		p = float64(p*z) + c[5]
		p = float64(p*z) + c[4]
		p = float64(p*z) + c[3]
		p = float64(p*z) + c[2]
		p = float64(p*z) + c[1]
		return float64(p*z) + c[0]
	}
	p := c[len(c)-1]
	for k := len(c) - 2; k >= 0; k-- {
		p = float64(p*z) + c[k]
	}
	return p
}
