package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

const eps32 = 0x1p-24

// lnCheckForward runs LayerNormRows and compares mean, rstd and dst with a
// float64 computation, with bounds derived from float32 summation error:
// mean within 2(C+2)ε·mean|x|; rstd within 4(C+4)ε relative; each output
// within |γ|·(δμ·rstd + |x̂|·δrstd) + 2ε(|x̂γ| + |β|).
func lnCheckForward(t *testing.T, what string, rows, cols int, x, gamma, beta *vecBuf, dst, mean, rstd *vecBuf) {
	t.Helper()
	const eps = 1e-5
	LayerNormRows(dst.s, x.s, gamma.s, beta.s, mean.s, rstd.s, rows, cols, eps)
	for _, b := range []*vecBuf{x, gamma, beta, dst, mean, rstd} {
		b.checkGuards(t, what)
	}
	if cols == 0 {
		return
	}
	n := float64(cols)
	for r := 0; r < rows; r++ {
		xr := x.s[r*cols : (r+1)*cols]
		var s, sa float64
		for _, v := range xr {
			s += float64(v)
			sa += math.Abs(float64(v))
		}
		mu := s / n
		var vs float64
		for _, v := range xr {
			vs += (float64(v) - mu) * (float64(v) - mu)
		}
		rs := 1 / math.Sqrt(vs/n+eps)
		muTol := 2*(n+2)*eps32*sa/n + 1e-30
		rsTol := 4 * (n + 4) * eps32
		if d := math.Abs(float64(mean.s[r]) - mu); d > muTol {
			t.Fatalf("%s: mean[%d] = %v, want %v", what, r, mean.s[r], mu)
		}
		if d := math.Abs(float64(rstd.s[r])-rs) / rs; d > rsTol {
			t.Fatalf("%s: rstd[%d] = %v, want %v (rel %g)", what, r, rstd.s[r], rs, d)
		}
		for j, v := range xr {
			xhat := (float64(v) - mu) * rs
			g, b := float64(gamma.s[j]), float64(beta.s[j])
			want := xhat*g + b
			tol := math.Abs(g)*(muTol*rs+math.Abs(xhat)*rsTol) + 2*eps32*(math.Abs(xhat*g)+math.Abs(b)) + 1e-30
			if got := float64(dst.s[r*cols+j]); math.Abs(got-want) > tol || got != got {
				t.Fatalf("%s: dst[%d,%d] = %v, want %v (tol %g)", what, r, j, got, want, tol)
			}
		}
	}
}

// lnCheckBackward runs LayerNormBackwardRows on accumulators that start
// non-zero and compares with a float64 computation from the same mean and
// rstd.
func lnCheckBackward(t *testing.T, what string, rng *rand.Rand, rows, cols int, x, gamma, mean, rstd *vecBuf) {
	t.Helper()
	off := rng.IntN(8)
	dy := randBuf(rng, rows*cols, off, -1, 1)
	dx := randBuf(rng, rows*cols, 7-off, -1, 1)
	dg := randBuf(rng, cols, off, -1, 1)
	db := randBuf(rng, cols, 3, -1, 1)
	dx0, dg0, db0 := slices.Clone(dx.s), slices.Clone(dg.s), slices.Clone(db.s)
	LayerNormBackwardRows(dx.s, dg.s, db.s, dy.s, x.s, gamma.s, mean.s, rstd.s, rows, cols)
	for _, b := range []*vecBuf{dx, dg, db, dy, x, gamma, mean, rstd} {
		b.checkGuards(t, what)
	}
	if cols == 0 {
		return
	}
	n := float64(cols)
	dgRef, dbRef := make([]float64, cols), make([]float64, cols)
	dgMag, dbMag := make([]float64, cols), make([]float64, cols)
	for j := range dgRef {
		dgRef[j], dbRef[j] = float64(dg0[j]), float64(db0[j])
		dgMag[j], dbMag[j] = math.Abs(dgRef[j]), math.Abs(dbRef[j])
	}
	for r := 0; r < rows; r++ {
		mu, rs := float64(mean.s[r]), float64(rstd.s[r])
		var gs, gxs, gAbs, gxAbs float64
		xhat := make([]float64, cols)
		for j := 0; j < cols; j++ {
			xhat[j] = (float64(x.s[r*cols+j]) - mu) * rs
			d := float64(dy.s[r*cols+j])
			g := d * float64(gamma.s[j])
			gs += g
			gxs += g * xhat[j]
			gAbs += math.Abs(g)
			gxAbs += math.Abs(g * xhat[j])
			dgRef[j] += d * xhat[j]
			dbRef[j] += d
			dgMag[j] += math.Abs(d * xhat[j])
			dbMag[j] += math.Abs(d)
		}
		sumTol := 2 * (n + 4) * eps32
		for j := 0; j < cols; j++ {
			g := float64(dy.s[r*cols+j]) * float64(gamma.s[j])
			want := float64(dx0[r*cols+j]) + rs*(g-gs/n-xhat[j]*gxs/n)
			mag := rs * (math.Abs(g) + gAbs/n + math.Abs(xhat[j])*gxAbs/n)
			tol := mag*(sumTol+4*eps32) + 2*eps32*math.Abs(want) + 1e-30
			if got := float64(dx.s[r*cols+j]); math.Abs(got-want) > tol || got != got {
				t.Fatalf("%s: dx[%d,%d] = %v, want %v (tol %g)", what, r, j, got, want, tol)
			}
		}
	}
	for j := 0; j < cols; j++ {
		tol := 2*float64(rows+4)*eps32 + 4*eps32
		if got := float64(dg.s[j]); math.Abs(got-dgRef[j]) > tol*dgMag[j]+1e-30 {
			t.Fatalf("%s: dgamma[%d] = %v, want %v", what, j, got, dgRef[j])
		}
		if got := float64(db.s[j]); math.Abs(got-dbRef[j]) > tol*dbMag[j]+1e-30 {
			t.Fatalf("%s: dbeta[%d] = %v, want %v", what, j, got, dbRef[j])
		}
	}
}

func lnCase(t *testing.T, rng *rand.Rand, rows, cols int, center, spread float32) {
	t.Helper()
	off := (rows + cols) % 8
	what := fmt.Sprintf("%dx%d center=%v spread=%v off=%d", rows, cols, center, spread, off)
	x := randBuf(rng, rows*cols, off, center-spread, center+spread)
	gamma := randBuf(rng, cols, 7-off, 0.5, 1.5)
	beta := randBuf(rng, cols, 2, -0.5, 0.5)
	dst := newVecBuf(rows*cols, 5)
	mean, rstd := newVecBuf(rows, off), newVecBuf(rows, 1)
	lnCheckForward(t, what, rows, cols, x, gamma, beta, dst, mean, rstd)
	lnCheckBackward(t, what+" backward", rng, rows, cols, x, gamma, mean, rstd)
}

func TestLayerNormRows(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(31, 32))
		for cols := 0; cols <= 300; cols++ {
			for _, rows := range []int{1, 3} {
				lnCase(t, rng, rows, cols, 0, 1)
			}
		}
		for _, cols := range []int{128, 768, 3072, vecChunk + 5, 20000} {
			lnCase(t, rng, 2, cols, 0, 3)
			lnCase(t, rng, 2, cols, 100, 0.5) // large mean, small variance
		}
		lnCase(t, rng, 0, 16, 0, 1)
	})
}

// TestLayerNormConstantRow: a constant row has variance 0, so x̂ = 0 and
// dst = beta exactly, with rstd = 1/sqrt(eps).
func TestLayerNormConstantRow(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		cols := 37
		x, g, b := make([]float32, cols), make([]float32, cols), make([]float32, cols)
		for j := range x {
			x[j], g[j], b[j] = 2.5, 1, float32(j)
		}
		dst, mean, rstd := make([]float32, cols), make([]float32, 1), make([]float32, 1)
		LayerNormRows(dst, x, g, b, mean, rstd, 1, cols, 1e-5)
		if mean[0] != 2.5 || math.Abs(float64(rstd[0])-1/math.Sqrt(1e-5)) > 1e-3 {
			t.Errorf("mean %v rstd %v", mean[0], rstd[0])
		}
		if !slices.Equal(dst, b) {
			t.Errorf("dst %v, want beta", dst)
		}
	})
}

func BenchmarkLayerNormRows(b *testing.B) {
	rows, cols := 128, 768
	rng := rand.New(rand.NewPCG(1, 1))
	x, gamma, beta := randBuf(rng, rows*cols, 0, -2, 2).s, randBuf(rng, cols, 0, 0.5, 1.5).s, randBuf(rng, cols, 0, -1, 1).s
	dst, mean, rstd := make([]float32, rows*cols), make([]float32, rows), make([]float32, rows)
	dy, dx, dg, db := randBuf(rng, rows*cols, 0, -1, 1).s, make([]float32, rows*cols), make([]float32, cols), make([]float32, cols)
	for _, l := range Available() {
		b.Run(fmt.Sprintf("forward/%s/%dx%d", l, rows, cols), func(b *testing.B) {
			defer SetImpl(l)()
			b.SetBytes(int64(8 * rows * cols))
			for b.Loop() {
				LayerNormRows(dst, x, gamma, beta, mean, rstd, rows, cols, 1e-5)
			}
		})
	}
	for _, l := range Available() {
		b.Run(fmt.Sprintf("backward/%s/%dx%d", l, rows, cols), func(b *testing.B) {
			defer SetImpl(l)()
			b.SetBytes(int64(12 * rows * cols))
			for b.Loop() {
				LayerNormBackwardRows(dx, dg, db, dy, x, gamma, mean, rstd, rows, cols)
			}
		})
	}
}
