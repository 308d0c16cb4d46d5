package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmMicroKernel checks each level's micro-kernel against its pure-Go
// twin microKernelRef on the same packed panels, for kc from 1 up past
// the unrolled loop's steps, every alpha/beta kind, and a C with a wide
// leading dimension whose padding must stay untouched.
func TestSgemmMicroKernel(t *testing.T) {
	for _, l := range Available() {
		kern := gemmKernelFor(l)
		t.Run(kern.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(l)))
			mr, nr := kern.mr, kern.nr
			ldc := nr + 3
			kcs := []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 256, 257}
			for _, kc := range kcs {
				for _, ab := range [][2]float32{{1, 0}, {1, 1}, {-0.5, 0.5}, {2, -1}} {
					alpha, beta := ab[0], ab[1]
					ldb := nr // packed B, or B read in place with a wider stride
					if rng.IntN(2) == 1 {
						ldb += 1 + rng.IntN(40)
					}
					a, b := randSlice(rng, kc*mr), randSlice(rng, (kc-1)*ldb+nr)
					c := randSlice(rng, mr*ldc+guard)
					for r := 0; r < mr; r++ {
						for j := nr; j < ldc; j++ {
							c[r*ldc+j] = nan32
						}
					}
					if beta == 0 {
						for r := 0; r < mr; r++ {
							for j := 0; j < nr; j++ {
								c[r*ldc+j] = nan32 // beta = 0 must not read C
							}
						}
					}
					want := append([]float32(nil), c...)
					microKernelRef(mr, nr, kc, a, b, ldb, want, ldc, alpha, beta)
					kern.fn(kc, a, b, ldb, c, ldc, alpha, beta)
					for i := range c {
						r, j := i/ldc, i%ldc
						if r >= mr || j >= nr {
							if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
								t.Fatalf("kc=%d: stray write at %d", kc, i)
							}
							continue
						}
						tol := 1e-6 * float64(kc+2) * 4
						if d := math.Abs(float64(c[i] - want[i])); !(d <= tol) {
							t.Fatalf("kc=%d alpha=%g beta=%g: c[%d,%d] = %g, twin %g", kc, alpha, beta, r, j, c[i], want[i])
						}
					}
				}
			}
		})
	}
}

// TestPackEdges checks packA/packB against their definition (including the
// zero padding) for every transpose and ragged edge.
func TestPackEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for _, trans := range []bool{false, true} {
		for i := 0; i < 50; i++ {
			mr := 1 + rng.IntN(8)
			if i%5 == 0 {
				mr = 16 // the AVX2 kernel's nr: packB's full-panel fast paths
			}
			rows, cols := 1+rng.IntN(30), 1+rng.IntN(30)
			ld := cols + rng.IntN(4)
			src := randSlice(rng, rows*ld)
			at := func(r, c int) float32 { return src[r*ld+c] } // stored
			op := func(i, p int) float32 {                      // op(X)[i][p]
				if trans {
					return at(p, i)
				}
				return at(i, p)
			}
			opRows, opCols := rows, cols
			if trans {
				opRows, opCols = cols, rows
			}
			i0, p0 := rng.IntN(opRows), rng.IntN(opCols)
			mc, kc := 1+rng.IntN(opRows-i0), 1+rng.IntN(opCols-p0)
			panels := (mc + mr - 1) / mr
			dst := randSlice(rng, panels*panelStride(mr, kc))
			packA(dst, src, ld, trans, i0, mc, p0, kc, mr)
			for i := 0; i < panels*mr; i++ {
				for p := 0; p < kc; p++ {
					var want float32
					if i < mc {
						want = op(i0+i, p0+p)
					}
					if got := dst[(i/mr)*panelStride(mr, kc)+p*mr+i%mr]; got != want {
						t.Fatalf("packA trans=%v: [%d,%d] = %g, want %g", trans, i, p, got, want)
					}
				}
			}
			// packB reads op(B)[p][j]: the same matrix seen as k×n.
			dst = randSlice(rng, panels*panelStride(mr, kc))
			packB(dst, src, ld, !trans, p0, kc, i0, mc, mr)
			for j := 0; j < panels*mr; j++ {
				for p := 0; p < kc; p++ {
					var want float32
					if j < mc {
						want = op(i0+j, p0+p)
					}
					if got := dst[(j/mr)*panelStride(mr, kc)+p*mr+j%mr]; got != want {
						t.Fatalf("packB trans=%v: [%d,%d] = %g, want %g", !trans, p, j, got, want)
					}
				}
			}
		}
	}
}

// TestPackA6 checks the 6-row A packers (SSE on amd64) against their Go
// specifications for every kc remainder mod 4, with guard values around the
// destination so a write past the panel is caught.
func TestPackA6(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for kc := 1; kc <= 41; kc++ {
		lda := kc + rng.IntN(9)
		p0 := lda - kc
		a := randSlice(rng, 7*lda)
		i := rng.IntN(2)
		got, want := randSlice(rng, 6*kc+8), make([]float32, 6*kc+8)
		copy(want, got)
		packA6(got[:6*kc], a, lda, i, p0, kc)
		packA6Go(want[:6*kc], a, lda, i, p0, kc)
		for j := range got {
			if got[j] != want[j] {
				t.Fatalf("packA6 kc=%d lda=%d: [%d] = %g, want %g", kc, lda, j, got[j], want[j])
			}
		}

		panels, stride := kc, 6+rng.IntN(20)
		src := randSlice(rng, 6*panels+rng.IntN(5))
		got, want = randSlice(rng, (panels-1)*stride+6+8), nil
		want = append(want, got...)
		packARow6(got[:(panels-1)*stride+6], src, panels, stride)
		packARow6Go(want[:(panels-1)*stride+6], src, panels, stride)
		for j := range got {
			if got[j] != want[j] {
				t.Fatalf("packARow6 panels=%d stride=%d: [%d] = %g, want %g", panels, stride, j, got[j], want[j])
			}
		}
	}
}

// TestPackB16T checks the transposed-B panel packer (SSE on amd64)
// against its Go specification for every kc remainder mod 4, with guards.
func TestPackB16T(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 16))
	for kc := 1; kc <= 41; kc++ {
		ldb := kc + rng.IntN(9)
		b := randSlice(rng, 15*ldb+kc)
		got := randSlice(rng, 16*kc+8)
		want := append([]float32(nil), got...)
		packB16T(got[:16*kc], b, ldb, kc)
		packB16TGo(want[:16*kc], b, ldb, kc)
		for j := range got {
			if got[j] != want[j] {
				t.Fatalf("packB16T kc=%d ldb=%d: [%d] = %g, want %g", kc, ldb, j, got[j], want[j])
			}
		}
	}
}
