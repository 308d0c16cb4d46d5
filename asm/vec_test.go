package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// Tests of the Go-only kernels (vec.go) and of Sum, on every level.

func TestSum(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(51, 52))
		for _, n := range vecLengths(rng, 4) {
			x := randBuf(rng, n, n%8, -1, 1)
			var exact, mag float64
			for _, v := range x.s {
				exact += float64(v)
				mag += math.Abs(float64(v))
			}
			got := Sum(x.s)
			if d := math.Abs(float64(got) - exact); d > 2*float64(n+1)*eps32*mag+1e-30 || got != got {
				t.Fatalf("n=%d: Sum = %v, want %v", n, got, exact)
			}
			x.checkGuards(t, fmt.Sprintf("Sum n=%d", n))
		}
		if s := Sum([]float32{1, float32(math.NaN()), 2}); s == s {
			t.Error("Sum ignores NaN")
		}
	})
}

func TestMax(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		nan, inf := float32(math.NaN()), float32(math.Inf(1))
		for _, c := range []struct {
			x    []float32
			want float32
		}{
			{nil, float32(math.Inf(-1))},
			{[]float32{3}, 3},
			{[]float32{-1, -5, -0.5, -2}, -0.5},
			{[]float32{nan, 2, nan, 1}, 2},
			{[]float32{1, inf, 2}, inf},
		} {
			if g := Max(c.x); g != c.want {
				t.Errorf("Max(%v) = %v, want %v", c.x, g, c.want)
			}
		}
		if g := Max([]float32{nan, nan}); g == g {
			t.Errorf("Max of NaNs = %v, want NaN", g)
		}
	})
}

func TestElementwise(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(53, 54))
		for _, n := range []int{0, 1, 7, 8, 33, 300, 5000} {
			x, y := randBuf(rng, n, 1, -3, 3), randBuf(rng, n, 2, -3, 3)
			dst := newVecBuf(n, 3)
			Add(dst.s, x.s, y.s)
			for i := range dst.s {
				if dst.s[i] != x.s[i]+y.s[i] {
					t.Fatalf("Add[%d]", i)
				}
			}
			Mul(dst.s, x.s, y.s)
			for i := range dst.s {
				if dst.s[i] != x.s[i]*y.s[i] {
					t.Fatalf("Mul[%d]", i)
				}
			}
			x0 := slices.Clone(x.s)
			Scale(0.5, x.s)
			for i := range x.s {
				if x.s[i] != x0[i]*0.5 {
					t.Fatalf("Scale[%d]", i)
				}
			}
			Tanh(dst.s, y.s)
			for i, v := range y.s {
				if d := ulp32(dst.s[i], float32(math.Tanh(float64(v)))); d > tanhULP {
					t.Fatalf("Tanh(%v) = %v", v, dst.s[i])
				}
			}
			Silu(dst.s, y.s)
			for i, v := range y.s {
				want := float64(v) / (1 + math.Exp(-float64(v)))
				if d := ulp32(dst.s[i], float32(want)); d > 1 {
					t.Fatalf("Silu(%v) = %v, want %v", v, dst.s[i], want)
				}
			}
			for _, b := range []*vecBuf{x, y, dst} {
				b.checkGuards(t, fmt.Sprintf("n=%d", n))
			}
		}
	})
}

// TestShortSlicesPanic: every length-checked kernel names itself when a
// slice is too short.
func TestShortSlicesPanic(t *testing.T) {
	s3, s4 := make([]float32, 3), make([]float32, 4)
	for name, f := range map[string]func(){
		"Dot":                   func() { Dot(s4, s3) },
		"Axpy":                  func() { Axpy(1, s4, s3) },
		"Add":                   func() { Add(s4, s3, s4) },
		"Mul":                   func() { Mul(s4, s4, s3) },
		"Exp":                   func() { Exp(s4, s3) },
		"Tanh":                  func() { Tanh(s4, s3) },
		"Gelu":                  func() { Gelu(s4, s3) },
		"GeluBackward":          func() { GeluBackward(s4, s4, s3) },
		"Silu":                  func() { Silu(s4, s3) },
		"SoftmaxRows":           func() { SoftmaxRows(s4, s3, 2, 2) },
		"LayerNormRows":         func() { LayerNormRows(s4, s4, s3[:1], s3, s4, s4, 2, 2, 1e-5) },
		"LayerNormBackwardRows": func() { LayerNormBackwardRows(s4, s3, s3, s4, s4, s3, s3[:1], s3, 2, 2) },
	} {
		func() {
			defer func() {
				r := recover()
				if msg := fmt.Sprint(r); r == nil || !strings.Contains(msg, "asm."+name) {
					t.Errorf("%s: panic %v, want one naming asm.%s", name, r, name)
				}
			}()
			f()
		}()
	}
}

// TestLevels checks the dispatcher: generic is always first, SetImpl
// switches Impl and restores it, unsupported levels panic.
func TestLevels(t *testing.T) {
	av := Available()
	if av[0] != Generic {
		t.Fatalf("Available() = %v", av)
	}
	before := Impl()
	for _, l := range av {
		restore := SetImpl(l)
		if Impl() != l {
			t.Errorf("SetImpl(%v): Impl() = %v", l, Impl())
		}
		restore()
	}
	if Impl() != before {
		t.Errorf("restore left %v, want %v", Impl(), before)
	}
	if Supported(AVX512) {
		t.Error("AVX512 reported supported: no AVX-512 kernels exist")
	}
	for _, s := range []string{"generic", "avx2", "avx512", "neon"} {
		if l, err := ParseLevel(s); err != nil || l.String() != s {
			t.Errorf("ParseLevel(%q) = %v, %v", s, l, err)
		}
	}
	if _, err := ParseLevel("sse"); err == nil {
		t.Error("ParseLevel(sse) accepted")
	}
	defer func() {
		if recover() == nil {
			t.Error("SetImpl(AVX512) did not panic")
		}
	}()
	SetImpl(AVX512)
}

func BenchmarkSum(b *testing.B) {
	n := 4096
	x := randBuf(rand.New(rand.NewPCG(1, 1)), n, 0, -1, 1).s
	for _, l := range Available() {
		b.Run(fmt.Sprintf("%s/n=%d", l, n), func(b *testing.B) {
			defer SetImpl(l)()
			b.SetBytes(int64(4 * n))
			var s float32
			for b.Loop() {
				s += Sum(x)
			}
			_ = s
		})
	}
}
