package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// gemmCase is one Sgemm call to test: shapes, transposes, scalars, start
// offsets into the operand buffers and leading-dimension padding.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	offA, offB     int // start offsets of A, B in their buffers
	offC           int
	padA, padB     int // lda = cols + pad
	padC           int
	nanC           bool // fill C with NaN (only meaningful with beta == 0)
}

func (g gemmCase) String() string {
	t := func(b bool) string {
		if b {
			return "T"
		}
		return "N"
	}
	return fmt.Sprintf("%s%s m=%d n=%d k=%d alpha=%g beta=%g off=%d/%d/%d pad=%d/%d/%d nanC=%v",
		t(g.transA), t(g.transB), g.m, g.n, g.k, g.alpha, g.beta, g.offA, g.offB, g.offC, g.padA, g.padB, g.padC, g.nanC)
}

// guard is the number of NaN floats around every operand: reads of them
// would poison C, writes to them are caught by checkGuards.
const guard = 5

// gemmData holds the buffers of a case: each operand sits inside a NaN
// guard region, and the padding columns of every row are NaN too.
type gemmData struct {
	a, b, c        []float32
	lda, ldb, ldc  int
	a0, b0, c0     int // where each operand starts
	cIn            []float32
	rowsA, colsA   int
	rowsB, colsB   int
	bufA, bufB, bC []float32 // whole buffers, guards included
}

var nan32 = float32(math.NaN())

func newGemmData(g gemmCase, rng *rand.Rand) *gemmData {
	d := &gemmData{}
	d.rowsA, d.colsA = g.m, g.k
	if g.transA {
		d.rowsA, d.colsA = g.k, g.m
	}
	d.rowsB, d.colsB = g.k, g.n
	if g.transB {
		d.rowsB, d.colsB = g.n, g.k
	}
	d.lda, d.ldb, d.ldc = max(d.colsA+g.padA, 1), max(d.colsB+g.padB, 1), max(g.n+g.padC, 1)
	fill := func(rows, cols, ld, off int, nan bool) (buf []float32, start int) {
		buf = make([]float32, guard+off+rows*ld+guard)
		for i := range buf {
			buf[i] = nan32
		}
		start = guard + off
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				v := float32(rng.Float64()*2 - 1)
				if nan {
					v = nan32
				}
				buf[start+i*ld+j] = v
			}
		}
		return buf, start
	}
	d.bufA, d.a0 = fill(d.rowsA, d.colsA, d.lda, g.offA, false)
	d.bufB, d.b0 = fill(d.rowsB, d.colsB, d.ldb, g.offB, false)
	d.bC, d.c0 = fill(g.m, g.n, d.ldc, g.offC, g.nanC)
	d.cIn = append([]float32(nil), d.bC...)
	// The kernels get slices that end at the last element of the operand
	// (as tight as checkGemm allows), so a bounds error shows up as a panic.
	d.a = d.bufA[d.a0 : d.a0+tightLen(d.rowsA, d.colsA, d.lda)]
	d.b = d.bufB[d.b0 : d.b0+tightLen(d.rowsB, d.colsB, d.ldb)]
	d.c = d.bC[d.c0 : d.c0+tightLen(g.m, g.n, d.ldc)]
	return d
}

func tightLen(rows, cols, ld int) int {
	if rows == 0 || cols == 0 {
		return 0
	}
	return (rows-1)*ld + cols
}

func (d *gemmData) opA(g gemmCase, i, p int) float64 {
	if g.transA {
		return float64(d.bufA[d.a0+p*d.lda+i])
	}
	return float64(d.bufA[d.a0+i*d.lda+p])
}

func (d *gemmData) opB(g gemmCase, p, j int) float64 {
	if g.transB {
		return float64(d.bufB[d.b0+j*d.ldb+p])
	}
	return float64(d.bufB[d.b0+p*d.ldb+j])
}

// run calls Sgemm on the case's buffers.
func (d *gemmData) run(g gemmCase) {
	Sgemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, d.a, d.lda, d.b, d.ldb, g.beta, d.c, d.ldc)
}

// check compares C with a float64 reference: |got−want| ≤ tol where tol =
// 4·(k+2)·eps·(|alpha|·Σ|a||b| + |beta·c|), the forward error bound of a
// float32 dot product with room for the alpha/beta rounding. It also checks
// that every element outside C (guards, padding) is untouched.
func (d *gemmData) check(t *testing.T, g gemmCase, what string) {
	t.Helper()
	d.checkBuf(t, g, what, d.bC)
}

// checkGeneric runs sgemmGeneric, the oracle, on a copy of the inputs and
// checks that it too meets the bound and agrees with Sgemm within twice it.
func (d *gemmData) checkGeneric(t *testing.T, g gemmCase, what string) {
	t.Helper()
	ref := append([]float32(nil), d.cIn...)
	if g.m > 0 && g.n > 0 {
		sgemmGeneric(g.transA, g.transB, g.m, g.n, g.k, g.alpha, d.a, d.lda, d.b, d.ldb, g.beta, ref[d.c0:d.c0+len(d.c)], d.ldc)
	}
	d.checkBuf(t, g, what+"/sgemmGeneric", ref)
}

func (d *gemmData) checkBuf(t *testing.T, g gemmCase, what string, bC []float32) {
	t.Helper()
	const eps = 1.0 / (1 << 23)
	bad := 0
	for i := 0; i < g.m; i++ {
		for j := 0; j < g.n; j++ {
			var s, sabs float64
			if g.alpha != 0 {
				for p := 0; p < g.k; p++ {
					x := d.opA(g, i, p) * d.opB(g, p, j)
					s += x
					sabs += math.Abs(x)
				}
			}
			cin := float64(d.cIn[d.c0+i*d.ldc+j])
			want := float64(g.alpha) * s
			cterm := 0.0
			if g.beta != 0 {
				want += float64(g.beta) * cin
				cterm = math.Abs(float64(g.beta) * cin)
			}
			tol := 4*float64(g.k+2)*eps*(math.Abs(float64(g.alpha))*sabs+cterm) + 1e-30
			got := float64(bC[d.c0+i*d.ldc+j])
			if !(math.Abs(got-want) <= tol) {
				if bad < 5 {
					t.Errorf("%s %v: C[%d,%d] = %g, want %g (tol %g)", what, g, i, j, got, want, tol)
				}
				bad++
			}
		}
	}
	d.checkGuards(t, g, what, bC)
	if bad > 0 {
		t.Fatalf("%s %v: %d bad elements", what, g, bad)
	}
}

// checkGuards fails if anything outside the m×n elements of C changed.
func (d *gemmData) checkGuards(t *testing.T, g gemmCase, what string, bC []float32) {
	t.Helper()
	for idx := range bC {
		r, col := (idx-d.c0)/d.ldc, (idx-d.c0)%d.ldc
		inside := idx >= d.c0 && r < g.m && col < g.n
		if inside {
			continue
		}
		if math.Float32bits(bC[idx]) != math.Float32bits(d.cIn[idx]) {
			t.Fatalf("%s %v: stray write at buffer index %d (C start %d, ldc %d): %g", what, g, idx, d.c0, d.ldc, bC[idx])
		}
	}
}

// randCase draws a case with the given sizes and random everything else.
func randCase(rng *rand.Rand, m, n, k int) gemmCase {
	alphas := []float32{1, -1, 0.5, 0, 1.75}
	betas := []float32{0, 1, -1, 0.5}
	g := gemmCase{
		transA: rng.IntN(2) == 1, transB: rng.IntN(2) == 1,
		m: m, n: n, k: k,
		alpha: alphas[rng.IntN(len(alphas))], beta: betas[rng.IntN(len(betas))],
		offA: rng.IntN(8), offB: rng.IntN(8), offC: rng.IntN(8),
		padA: rng.IntN(3) * rng.IntN(9), padB: rng.IntN(3) * rng.IntN(9), padC: rng.IntN(3) * rng.IntN(9),
	}
	g.nanC = g.beta == 0 && rng.IntN(2) == 1
	return g
}

// forLevels runs f once for every kernel level this machine supports.
func forLevels(t *testing.T, f func(t *testing.T, l Level)) {
	for _, l := range Available() {
		t.Run(l.String(), func(t *testing.T) {
			restore := SetImpl(l)
			defer restore()
			f(t, l)
		})
	}
}
