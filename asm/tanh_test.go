package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// tanhULP is the Tanh accuracy contract.
const tanhULP = 3

func tanhCheck(t *testing.T, what string, dst, x *vecBuf) {
	t.Helper()
	Tanh(dst.s, x.s)
	for i, v := range x.s {
		want := float32(math.Tanh(float64(v)))
		if d := ulp32(dst.s[i], want); d > tanhULP || math.Signbit(float64(dst.s[i])) != math.Signbit(float64(want)) && want == want {
			t.Fatalf("%s: Tanh(%v) = %v, want %v (%v ulp)", what, v, dst.s[i], want, d)
		}
	}
	dst.checkGuards(t, what+" dst")
	x.checkGuards(t, what+" x")
}

func TestTanh(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(61, 62))
		for _, n := range vecLengths(rng, 2) {
			off := n % 8
			lo, hi := float32(-3), float32(3)
			if n%2 == 1 {
				lo, hi = -0.7, 0.7
			}
			tanhCheck(t, fmt.Sprintf("n=%d", n), newVecBuf(n, 7-off), randBuf(rng, n, off, lo, hi))
		}
		for _, v := range vecSpecials {
			for _, n := range []int{1, 4, 8, 11} {
				x := newVecBuf(n, 2)
				for i := range x.s {
					x.s[i] = v
				}
				tanhCheck(t, fmt.Sprintf("v=%v n=%d", v, n), newVecBuf(n, 5), x)
			}
		}
	})
}

// TestTanhDense walks the float32 line over [-12, 12] (beyond ±9.1 tanh
// rounds to ±1) with a stride, through both branches and their seam at
// |x| = 0.625, and reports the worst ulp error.
func TestTanhDense(t *testing.T) {
	var xs []float32
	for b := math.Float32bits(-12); b > 0x80000000; b -= 4001 {
		xs = append(xs, math.Float32frombits(b))
	}
	for b := uint32(0); math.Float32frombits(b) <= 12; b += 4001 {
		xs = append(xs, math.Float32frombits(b))
	}
	for b := math.Float32bits(0.625) - 50; b < math.Float32bits(0.625)+50; b++ {
		xs = append(xs, math.Float32frombits(b), -math.Float32frombits(b))
	}
	dst := make([]float32, len(xs))
	vecLevels(t, func(t *testing.T) {
		Tanh(dst, xs)
		worst := 0.0
		for i, v := range xs {
			d := ulp32(dst[i], float32(math.Tanh(float64(v))))
			if d > tanhULP {
				t.Fatalf("Tanh(%v) = %v, want %v (%v ulp)", v, dst[i], float32(math.Tanh(float64(v))), d)
			}
			worst = math.Max(worst, d)
		}
		t.Logf("%d inputs, worst %v ulp", len(xs), worst)
	})
}

func BenchmarkTanh(b *testing.B) {
	n := 4096
	rng := rand.New(rand.NewPCG(1, 1))
	x, dst := randBuf(rng, n, 0, -4, 4).s, make([]float32, n)
	for _, l := range Available() {
		b.Run(fmt.Sprintf("%s/n=%d", l, n), func(b *testing.B) {
			defer SetImpl(l)()
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				Tanh(dst, x)
			}
		})
	}
}
