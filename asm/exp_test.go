package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// expULP is the Exp accuracy contract, in float32 ulps against the
// correctly rounded e^x (subnormal results included: their ulp is 2⁻¹⁴⁹).
const expULP = 2

func expCheck(t *testing.T, what string, dst, x *vecBuf) {
	t.Helper()
	Exp(dst.s, x.s)
	for i, v := range x.s {
		want := float32(math.Exp(float64(v)))
		if d := ulp32(dst.s[i], want); d > expULP {
			t.Fatalf("%s: Exp(%v) [%d] = %v, want %v (%v ulp)", what, v, i, dst.s[i], want, d)
		}
	}
	dst.checkGuards(t, what+" dst")
	x.checkGuards(t, what+" x")
}

func TestExp(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(11, 12))
		for _, n := range vecLengths(rng, 4) {
			offs := []int{n % 8}
			if n <= 40 {
				offs = []int{0, 1, 2, 3, 4, 5, 6, 7}
			}
			for _, off := range offs {
				x := randBuf(rng, n, off, -110, 90)
				if n%2 == 0 {
					x = randBuf(rng, n, off, -2, 2)
				}
				dst := newVecBuf(n, 7-off)
				expCheck(t, fmt.Sprintf("n=%d off=%d", n, off), dst, x)
			}
		}
	})
}

// TestExpSpecial covers ±0, ±Inf, NaN, overflow and the subnormal range,
// each value at every lane position (and in the masked tail).
func TestExpSpecial(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		for _, v := range vecSpecials {
			for n := 1; n <= 17; n++ {
				x := newVecBuf(n, 0)
				for i := range x.s {
					x.s[i] = v
				}
				expCheck(t, fmt.Sprintf("v=%v n=%d", v, n), newVecBuf(n, 3), x)
			}
		}
	})
}

// TestExpDense walks every float32 in [-104, 89] with a stride, so the
// worst-case ulp error of the polynomial is measured, not sampled.
func TestExpDense(t *testing.T) {
	var xs []float32
	for b := math.Float32bits(-104); b > 0x80000000; b -= 997 { // -104 .. -0
		xs = append(xs, math.Float32frombits(b))
	}
	for b := uint32(0); math.Float32frombits(b) <= 89; b += 997 {
		xs = append(xs, math.Float32frombits(b))
	}
	dst := make([]float32, len(xs))
	vecLevels(t, func(t *testing.T) {
		Exp(dst, xs)
		worst := 0.0
		for i, v := range xs {
			if d := ulp32(dst[i], float32(math.Exp(float64(v)))); d > worst {
				worst = d
				if d > expULP {
					t.Fatalf("Exp(%v) = %v, want %v (%v ulp)", v, dst[i], float32(math.Exp(float64(v))), d)
				}
			}
		}
		t.Logf("%d inputs, worst %v ulp", len(xs), worst)
	})
}

func TestExpAliased(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		x := []float32{0, 1, -1, 2, 3, 4, 5, 6, 7, 8, -9}
		in := append([]float32(nil), x...)
		Exp(x, x)
		for i, v := range x {
			if d := ulp32(v, float32(math.Exp(float64(in[i])))); d > expULP {
				t.Errorf("in-place Exp(%v) = %v", in[i], v)
			}
		}
	})
}

func BenchmarkExp(b *testing.B) {
	for _, n := range []int{768, 4096} {
		rng := rand.New(rand.NewPCG(1, 1))
		x, dst := randBuf(rng, n, 0, -10, 10).s, make([]float32, n)
		for _, l := range Available() {
			b.Run(fmt.Sprintf("%s/n=%d", l, n), func(b *testing.B) {
				defer SetImpl(l)()
				b.SetBytes(int64(8 * n))
				for b.Loop() {
					Exp(dst, x)
				}
			})
		}
	}
}
