package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// softmaxRef is the float64 softmax of one row with the generic kernel's
// special-value rules: a NaN or +Inf in the row, or a row of only -Inf,
// makes the row NaN.
func softmaxRef(x []float32) []float64 {
	out := make([]float64, len(x))
	m := math.Inf(-1)
	bad := false
	for _, v := range x {
		if v != v {
			bad = true
		}
		m = math.Max(m, float64(v))
	}
	if bad || math.IsInf(m, 0) {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	var s float64
	for i, v := range x {
		out[i] = math.Exp(float64(v) - m)
		s += out[i]
	}
	for i := range out {
		out[i] /= s
	}
	return out
}

// softmaxCheck runs SoftmaxRows and checks each element against the
// float64 reference within (4 + |x-max| + cols)·2⁻²⁴ relative (exp ulps,
// the rounding of x-max, the row sum) plus 2⁻¹⁴⁶ absolute, and each finite
// row's sum within 1e-6 + cols·2⁻²⁶ of 1. It returns the worst row-sum
// error seen.
func softmaxCheck(t *testing.T, what string, dst, x *vecBuf, rows, cols int) float64 {
	t.Helper()
	SoftmaxRows(dst.s, x.s, rows, cols)
	worst := 0.0
	for r := 0; r < rows; r++ {
		xr, dr := x.s[r*cols:(r+1)*cols], dst.s[r*cols:(r+1)*cols]
		ref := softmaxRef(xr)
		m := float64(maxGeneric(xr))
		var sum float64
		for j, w := range ref {
			g := float64(dr[j])
			if w != w {
				if g == g {
					t.Fatalf("%s: row %d col %d = %v, want NaN", what, r, j, g)
				}
				continue
			}
			tol := w*(4+math.Abs(float64(xr[j])-m)+float64(cols))*0x1p-24 + 0x1p-146
			if math.Abs(g-w) > tol || g != g {
				t.Fatalf("%s: row %d col %d (x=%v) = %v, want %v", what, r, j, xr[j], g, w)
			}
			sum += g
		}
		if len(ref) > 0 && ref[0] == ref[0] {
			d := math.Abs(sum - 1)
			worst = math.Max(worst, d)
			if d > 1e-6+float64(cols)*0x1p-26 {
				t.Fatalf("%s: row %d sums to 1%+g", what, r, sum-1)
			}
		}
	}
	dst.checkGuards(t, what+" dst")
	x.checkGuards(t, what+" x")
	return worst
}

func TestSoftmaxRows(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(21, 22))
		worst := 0.0
		for cols := 0; cols <= 300; cols++ {
			for _, rows := range []int{1, 3} {
				off := (cols + rows) % 8
				scale := float32([]float64{1, 10, 100}[cols%3])
				x := randBuf(rng, rows*cols, off, -scale, scale)
				worst = math.Max(worst, softmaxCheck(t, fmt.Sprintf("%dx%d off=%d", rows, cols, off), newVecBuf(rows*cols, 7-off), x, rows, cols))
			}
		}
		for _, cols := range []int{768, vecChunk, vecChunk + 3, 30522, 100000} {
			x := randBuf(rng, 2*cols, 1, -20, 20)
			worst = math.Max(worst, softmaxCheck(t, fmt.Sprintf("2x%d", cols), newVecBuf(2*cols, 2), x, 2, cols))
		}
		t.Logf("worst |row sum - 1| = %.3g", worst)
		if worst > 1e-6 {
			t.Errorf("worst |row sum - 1| = %.3g, contract 1e-6", worst)
		}
	})
}

// TestSoftmaxSpecial puts one special value into a random row position.
func TestSoftmaxSpecial(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(23, 24))
		for _, v := range vecSpecials {
			for _, cols := range []int{1, 5, 8, 13, 37} {
				x := randBuf(rng, 2*cols, 0, -3, 3)
				x.s[rng.IntN(cols)] = v
				x.s[cols+rng.IntN(cols)] = v
				softmaxCheck(t, fmt.Sprintf("v=%v cols=%d", v, cols), newVecBuf(2*cols, 1), x, 2, cols)
			}
		}
		// Rows of only -Inf, and a row with -Inf and finite values.
		ninf := float32(math.Inf(-1))
		x := newVecBuf(6, 0)
		copy(x.s, []float32{ninf, ninf, ninf, ninf, 0, ninf})
		softmaxCheck(t, "-Inf rows", newVecBuf(6, 0), x, 2, 3)
	})
}

// TestSoftmaxAliased: dst may be x.
func TestSoftmaxAliased(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(25, 26))
		x := randBuf(rng, 3*50, 0, -5, 5)
		want := newVecBuf(3*50, 0)
		SoftmaxRows(want.s, x.s, 3, 50)
		SoftmaxRows(x.s, x.s, 3, 50)
		for i := range x.s {
			if x.s[i] != want.s[i] {
				t.Fatalf("in place [%d] = %v, want %v", i, x.s[i], want.s[i])
			}
		}
	})
}

func FuzzSoftmax(f *testing.F) {
	f.Add(uint64(1), 3, 17, float32(5))
	f.Add(uint64(2), 1, 4100, float32(80))
	f.Add(uint64(3), 2, 9, float32(1e30))
	f.Fuzz(func(t *testing.T, seed uint64, rows, cols int, scale float32) {
		if rows < 0 || cols < 0 || rows > 8 || cols > 5000 || scale != scale || math.IsInf(float64(scale), 0) {
			t.Skip()
		}
		rng := rand.New(rand.NewPCG(seed, 1))
		x := randBuf(rng, rows*cols, int(seed%8), -scale, scale)
		for _, l := range Available() {
			func() {
				defer SetImpl(l)()
				softmaxCheck(t, fmt.Sprintf("%s %dx%d scale=%g", l, rows, cols, scale), newVecBuf(rows*cols, 3), x, rows, cols)
			}()
		}
	})
}

func BenchmarkSoftmaxRows(b *testing.B) {
	for _, sh := range [][2]int{{128, 128}, {16, 768}, {2, 30522}} {
		rows, cols := sh[0], sh[1]
		rng := rand.New(rand.NewPCG(1, 1))
		x, dst := randBuf(rng, rows*cols, 0, -10, 10).s, make([]float32, rows*cols)
		for _, l := range Available() {
			b.Run(fmt.Sprintf("%s/%dx%d", l, rows, cols), func(b *testing.B) {
				defer SetImpl(l)()
				b.SetBytes(int64(8 * rows * cols))
				for b.Loop() {
					SoftmaxRows(dst, x, rows, cols)
				}
			})
		}
	}
}
