package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// axpyCheck runs Axpy and compares each y[i] with the float64
// y0 + alpha·x: within 2⁻²³·(|alpha·x| + |y0|) (two roundings in the loop,
// one with FMA).
func axpyCheck(t *testing.T, what string, alpha float32, x, y *vecBuf) {
	t.Helper()
	y0 := slices.Clone(y.s)
	Axpy(alpha, x.s, y.s)
	for i, v := range x.s {
		exact := float64(y0[i]) + float64(alpha)*float64(v)
		tol := 0x1p-23 * (math.Abs(float64(alpha)*float64(v)) + math.Abs(float64(y0[i])))
		if g := float64(y.s[i]); math.Abs(g-exact) > tol || g != g {
			t.Fatalf("%s: y[%d] = %v, want %v", what, i, g, exact)
		}
	}
	x.checkGuards(t, what+" x")
	y.checkGuards(t, what+" y")
}

func TestAxpy(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, n := range vecLengths(rng, 6) {
			offs := []int{n % 8}
			if n <= 40 {
				offs = []int{0, 1, 2, 3, 4, 5, 6, 7}
			}
			for _, off := range offs {
				alpha := float32(rng.NormFloat64())
				x := randBuf(rng, n, off, -1, 1)
				y := randBuf(rng, n, 7-off, -1, 1)
				axpyCheck(t, fmt.Sprintf("n=%d off=%d", n, off), alpha, x, y)
			}
		}
	})
}

// TestAxpyMatchesFMA: on the assembly paths each element is the single
// rounding of alpha·x+y, i.e. exactly math.FMA's float32 result.
func TestAxpyMatchesFMA(t *testing.T) {
	for _, l := range Available()[1:] {
		t.Run(l.String(), func(t *testing.T) {
			defer SetImpl(l)()
			rng := rand.New(rand.NewPCG(7, 8))
			x, y := randBuf(rng, 1000, 0, -1, 1), randBuf(rng, 1000, 0, -1, 1)
			y0 := slices.Clone(y.s)
			Axpy(0.3, x.s, y.s)
			for i := range y0 {
				want := float32(math.FMA(float64(float32(0.3)), float64(x.s[i]), float64(y0[i])))
				if y.s[i] != want {
					t.Fatalf("y[%d] = %v, want fused %v", i, y.s[i], want)
				}
			}
		})
	}
}

func BenchmarkAxpy(b *testing.B) {
	for _, n := range []int{64, 768, 4096, 65536} {
		rng := rand.New(rand.NewPCG(1, 1))
		x, y := randBuf(rng, n, 0, -1, 1).s, randBuf(rng, n, 0, -1, 1).s
		for _, l := range Available() {
			b.Run(fmt.Sprintf("%s/n=%d", l, n), func(b *testing.B) {
				defer SetImpl(l)()
				b.SetBytes(int64(12 * n))
				for b.Loop() {
					Axpy(1e-3, x, y)
				}
			})
		}
	}
}
