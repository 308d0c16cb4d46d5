package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// geluULP is the accuracy contract of Gelu: ulps of the float64 reference
// rounded to float32 (8 ulp ≤ 1e-6 relative), or geluAbs absolute for
// results far below the smallest normal float32. GELU' has the looser
// geluGradTol.
const (
	geluULP = 8
	geluAbs = 1e-37
)

func geluRef(x float32) float64 {
	f := float64(x)
	return 0.5 * f * (1 + math.Erf(f/math.Sqrt2))
}

// geluRefTail is geluRef without the cancellation of 1+erf for x ≪ 0.
func geluRefTail(x float32) float64 {
	f := float64(x)
	if f < -1 {
		return 0.5 * f * math.Erfc(-f/math.Sqrt2)
	}
	return geluRef(x)
}

func geluGradRef(x float32) float64 {
	f := float64(x)
	cdf := 0.5 * math.Erfc(-f/math.Sqrt2)
	pdf := math.Exp(-0.5*f*f) / math.Sqrt(2*math.Pi)
	return cdf + f*pdf
}

// geluGradTol is the contract of GELU': 1e-6 relative, or 8ε·(Φ + |x|·φ)
// absolute where Φ and x·φ cancel (around the root of GELU' at x ≈ -0.75).
func geluGradTol(x float32) float64 {
	f := float64(x)
	mag := 0.5*math.Erfc(-f/math.Sqrt2) + math.Abs(f)*math.Exp(-0.5*f*f)/math.Sqrt(2*math.Pi)
	return math.Max(1e-6*math.Abs(geluGradRef(x)), 8*eps32*mag) + geluAbs
}

func geluGradClose(got, x float32) bool {
	want := geluGradRef(x)
	return ulp32(got, float32(want)) == 0 || math.Abs(float64(got)-want) <= geluGradTol(x)
}

func geluClose(got float32, want float64) bool {
	w := float32(want)
	if ulp32(got, w) <= geluULP {
		return true
	}
	return math.Abs(float64(got)-want) <= geluAbs
}

func geluCheck(t *testing.T, what string, dst, x *vecBuf) {
	t.Helper()
	Gelu(dst.s, x.s)
	for i, v := range x.s {
		if want := geluRefTail(v); !geluClose(dst.s[i], want) {
			t.Fatalf("%s: Gelu(%v) = %v, want %v (%v ulp)", what, v, dst.s[i], float32(want), ulp32(dst.s[i], float32(want)))
		}
	}
	dst.checkGuards(t, what+" dst")
	x.checkGuards(t, what+" x")
}

// geluBwdCheck checks GELU' itself (dx starts at 0, dy = 1) and then the
// accumulation dx += dy·GELU' against the float64 formula.
func geluBwdCheck(t *testing.T, what string, rng *rand.Rand, x *vecBuf) {
	t.Helper()
	n := len(x.s)
	dx, dy := newVecBuf(n, 2), newVecBuf(n, 6)
	for i := range dx.s {
		dx.s[i], dy.s[i] = 0, 1
	}
	GeluBackward(dx.s, x.s, dy.s)
	for i, v := range x.s {
		if want := geluGradRef(v); !geluGradClose(dx.s[i], v) {
			t.Fatalf("%s: GELU'(%v) = %v, want %v (%v ulp)", what, v, dx.s[i], float32(want), ulp32(dx.s[i], float32(want)))
		}
	}
	for i := range dx.s {
		dx.s[i], dy.s[i] = rng.Float32()*2-1, rng.Float32()*2-1
	}
	dx0 := slices.Clone(dx.s)
	GeluBackward(dx.s, x.s, dy.s)
	for i, v := range x.s {
		d := geluGradRef(v)
		want := float64(dx0[i]) + float64(dy.s[i])*d
		tol := 2*eps32*(math.Abs(float64(dx0[i]))+math.Abs(float64(dy.s[i])*d)) + math.Abs(float64(dy.s[i]))*geluGradTol(v)
		if g := float64(dx.s[i]); math.Abs(g-want) > tol || (g != g) != (want != want) {
			t.Fatalf("%s: dx[%d] (x=%v) = %v, want %v", what, i, v, g, want)
		}
	}
	for _, b := range []*vecBuf{dx, dy, x} {
		b.checkGuards(t, what)
	}
}

func TestGelu(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(41, 42))
		for _, n := range vecLengths(rng, 1) {
			off := n % 8
			lo, hi := float32(-6), float32(6)
			if n%3 == 0 {
				lo, hi = -20, 20
			}
			x := randBuf(rng, n, off, lo, hi)
			geluCheck(t, fmt.Sprintf("n=%d", n), newVecBuf(n, 7-off), x)
			geluBwdCheck(t, fmt.Sprintf("n=%d backward", n), rng, x)
		}
	})
}

// TestGeluDense walks the float32 line over [-14, 14] with a stride and
// reports the worst ulp error of Gelu and GELU'.
func TestGeluDense(t *testing.T) {
	var xs []float32
	for b := math.Float32bits(-14); b > 0x80000000; b -= 16001 {
		xs = append(xs, math.Float32frombits(b))
	}
	for b := uint32(0); math.Float32frombits(b) <= 14; b += 16001 {
		xs = append(xs, math.Float32frombits(b))
	}
	dst, dx, dy := make([]float32, len(xs)), make([]float32, len(xs)), make([]float32, len(xs))
	vecLevels(t, func(t *testing.T) {
		Gelu(dst, xs)
		clear(dx)
		for i := range dy {
			dy[i] = 1
		}
		GeluBackward(dx, xs, dy)
		var wf, wb float64
		for i, v := range xs {
			f, b := geluRefTail(v), geluGradRef(v)
			if !geluClose(dst[i], f) {
				t.Fatalf("Gelu(%v) = %v, want %v", v, dst[i], float32(f))
			}
			if !geluGradClose(dx[i], v) {
				t.Fatalf("GELU'(%v) = %v, want %v", v, dx[i], float32(b))
			}
			if math.Abs(f) > 1e-37 {
				wf = math.Max(wf, ulp32(dst[i], float32(f)))
			}
			if math.Abs(b) > 1e-37 {
				wb = math.Max(wb, math.Abs(float64(dx[i])-b)/geluGradTol(v))
			}
		}
		t.Logf("%d inputs: worst Gelu %v ulp, GELU' %.2f of its tolerance", len(xs), wf, wb)
	})
}

func TestGeluSpecial(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(43, 44))
		for _, v := range vecSpecials {
			for _, n := range []int{1, 8, 11} {
				x := newVecBuf(n, 1)
				for i := range x.s {
					x.s[i] = v
				}
				dst := newVecBuf(n, 4)
				Gelu(dst.s, x.s)
				want := float32(geluRefTail(v))
				if g := dst.s[0]; ulp32(g, want) > geluULP && math.Abs(float64(g-want)) > geluAbs {
					t.Fatalf("Gelu(%v) = %v, want %v", v, g, want)
				}
				dst.checkGuards(t, "special")
				if !math.IsInf(float64(v), 0) && v == v {
					geluBwdCheck(t, fmt.Sprintf("v=%v", v), rng, x)
				}
			}
		}
		// GELU'(±Inf) and GELU'(NaN) are NaN (Inf·0 in x·φ), as the reference.
		dx := []float32{0, 0, 0}
		GeluBackward(dx, []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}, []float32{1, 1, 1})
		for i, v := range dx {
			if v == v {
				t.Errorf("GELU' of special %d = %v, want NaN", i, v)
			}
		}
	})
}

func BenchmarkGelu(b *testing.B) {
	n := 128 * 3072
	rng := rand.New(rand.NewPCG(1, 1))
	x, dst, dy := randBuf(rng, n, 0, -5, 5).s, make([]float32, n), randBuf(rng, n, 0, -1, 1).s
	for _, l := range Available() {
		b.Run(fmt.Sprintf("forward/%s/n=%d", l, n), func(b *testing.B) {
			defer SetImpl(l)()
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				Gelu(dst, x)
			}
		})
	}
	for _, l := range Available() {
		b.Run(fmt.Sprintf("backward/%s/n=%d", l, n), func(b *testing.B) {
			defer SetImpl(l)()
			b.SetBytes(int64(12 * n))
			for b.Loop() {
				GeluBackward(dst, x, dy)
			}
		})
	}
}
