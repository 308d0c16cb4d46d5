package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// dotCheck runs Dot on x, y and compares with the float64 sum:
// |got - exact| ≤ 2·(n+1)·2⁻²⁴·Σ|x·y| (any float32 summation order meets it).
func dotCheck(t *testing.T, what string, x, y *vecBuf) {
	t.Helper()
	got := Dot(x.s, y.s)
	var exact, mag float64
	for i, v := range x.s {
		p := float64(v) * float64(y.s[i])
		exact += p
		mag += math.Abs(p)
	}
	tol := 2*float64(len(x.s)+1)*0x1p-24*mag + 1e-30
	if math.Abs(float64(got)-exact) > tol || got != got {
		t.Fatalf("%s: Dot = %v, exact %v (tol %g)", what, got, exact, tol)
	}
	x.checkGuards(t, what+" x")
	y.checkGuards(t, what+" y")
}

func TestDot(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, n := range vecLengths(rng, 6) {
			offs := []int{n % 8}
			if n <= 40 {
				offs = []int{0, 1, 2, 3, 4, 5, 6, 7}
			}
			for _, off := range offs {
				x := randBuf(rng, n, off, -1, 1)
				y := randBuf(rng, n, (off+3)%8, -1, 1)
				dotCheck(t, fmt.Sprintf("n=%d off=%d", n, off), x, y)
			}
		}
	})
}

// TestDotSpecial: Inf and NaN propagate as in the loop; a longer y is
// allowed; a shorter one panics.
func TestDotSpecial(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		for _, n := range []int{1, 7, 8, 33, 100} {
			for _, c := range []struct {
				v    float32
				want func(float32) bool
			}{
				{float32(math.NaN()), func(g float32) bool { return g != g }},
				{float32(math.Inf(1)), func(g float32) bool { return math.IsInf(float64(g), 1) }},
			} {
				x, y := make([]float32, n), make([]float32, n+3)
				for i := range x {
					x[i], y[i] = 1, 1
				}
				x[n/2] = c.v
				if g := Dot(x, y); !c.want(g) {
					t.Errorf("n=%d with %v: Dot = %v", n, c.v, g)
				}
			}
		}
		defer func() {
			if recover() == nil {
				t.Error("Dot with short y did not panic")
			}
		}()
		Dot(make([]float32, 4), make([]float32, 3))
	})
}

// TestDotDeterministic: the same inputs give the same bits on repeat.
func TestDotDeterministic(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		x, y := randBuf(rng, 50000, 0, -1, 1), randBuf(rng, 50000, 0, -1, 1)
		a := Dot(x.s, y.s)
		for i := 0; i < 3; i++ {
			if b := Dot(x.s, y.s); math.Float32bits(a) != math.Float32bits(b) {
				t.Fatalf("Dot gave %v then %v", a, b)
			}
		}
	})
}

func FuzzDot(f *testing.F) {
	f.Add(uint64(1), 17, 3, float32(1))
	f.Add(uint64(2), 300, 0, float32(1e15))
	f.Add(uint64(3), 4100, 7, float32(1e-20))
	f.Fuzz(func(t *testing.T, seed uint64, n, off int, scale float32) {
		if n < 0 || n > 20000 || off < 0 || off > 7 || scale != scale || math.IsInf(float64(scale), 0) || math.Abs(float64(scale)) > 1e18 {
			t.Skip()
		}
		rng := rand.New(rand.NewPCG(seed, 9))
		x := randBuf(rng, n, off, -scale, scale)
		y := randBuf(rng, n, 7-off, -1, 1)
		for _, l := range Available() {
			func() {
				defer SetImpl(l)()
				dotCheck(t, fmt.Sprintf("%s n=%d off=%d scale=%g", l, n, off, scale), x, y)
			}()
		}
	})
}

func BenchmarkDot(b *testing.B) {
	for _, n := range []int{64, 768, 4096, 65536} {
		rng := rand.New(rand.NewPCG(1, 1))
		x, y := randBuf(rng, n, 0, -1, 1).s, randBuf(rng, n, 0, -1, 1).s
		for _, l := range Available() {
			b.Run(fmt.Sprintf("%s/n=%d", l, n), func(b *testing.B) {
				restore := SetImpl(l)
				defer restore()
				b.SetBytes(int64(8 * n))
				var s float32
				for b.Loop() {
					s += Dot(x, y)
				}
				_ = s
			})
		}
	}
}
