package asm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// TestSgemmSmallDense sweeps every m×n in 0..64 (k random in 0..32, which
// covers the unrolled loop and its tail) and every k in 0..64, with random
// transposes, scalars, offsets and leading dimensions, on every kernel
// level. (-short takes every third m and n, for slow emulators.)
func TestSgemmSmallDense(t *testing.T) {
	forLevels(t, func(t *testing.T, l Level) {
		rng := rand.New(rand.NewPCG(1, uint64(l)))
		step := 1
		if testing.Short() {
			step = 3
		}
		count := 0
		for m := 0; m <= 64; m += step {
			for n := 0; n <= 64; n += step {
				g := randCase(rng, m, n, rng.IntN(33))
				d := newGemmData(g, rng)
				d.run(g)
				d.check(t, g, "Sgemm")
				if count%7 == 0 {
					d.checkGeneric(t, g, "Sgemm")
				}
				count++
			}
		}
		for k := 0; k <= 64; k++ {
			g := randCase(rng, 1+rng.IntN(64), 1+rng.IntN(64), k)
			d := newGemmData(g, rng)
			d.run(g)
			d.check(t, g, "Sgemm")
			d.checkGeneric(t, g, "Sgemm")
		}
	})
}

// TestSgemmScalars covers every transpose pair with alpha, beta in
// {0, 1, -1, 0.5}, and beta = 0 over a C full of NaN (which must not leak).
func TestSgemmScalars(t *testing.T) {
	vals := []float32{0, 1, -1, 0.5}
	shapes := [][3]int{{13, 17, 9}, {37, 41, 70}, {6, 16, 1}, {1, 1, 300}}
	forLevels(t, func(t *testing.T, l Level) {
		rng := rand.New(rand.NewPCG(2, uint64(l)))
		for _, sh := range shapes {
			for tr := 0; tr < 4; tr++ {
				for _, alpha := range vals {
					for _, beta := range vals {
						for _, nanC := range []bool{false, true} {
							if nanC && beta != 0 {
								continue
							}
							g := gemmCase{transA: tr&1 == 1, transB: tr&2 == 2, m: sh[0], n: sh[1], k: sh[2],
								alpha: alpha, beta: beta, nanC: nanC, offA: 1, offC: 3, padB: 2, padC: 5}
							d := newGemmData(g, rng)
							d.run(g)
							d.check(t, g, "Sgemm")
						}
					}
				}
			}
		}
	})
}

// TestSgemmLarger runs shapes that cross the cache blocks (k above kc, m
// above mc, n above nc), odd and prime sizes, and random ones up to 300.
func TestSgemmLarger(t *testing.T) {
	forLevels(t, func(t *testing.T, l Level) {
		bl := gemmKernelFor(l).blocks
		rng := rand.New(rand.NewPCG(3, uint64(l)))
		shapes := [][3]int{
			{97, 101, 103}, {127, 131, 2*bl.kc + 3}, {bl.mc + 7, 19, 23}, {2*bl.mc + 1, 33, bl.kc + 1},
			{3, bl.nc + 37, 5}, {5, 2*bl.nc + 1, 2}, {256, 256, 256}, {1, 513, 257}, {513, 1, 257},
		}
		n := 12
		if testing.Short() {
			n = 4
		}
		for i := 0; i < n; i++ {
			shapes = append(shapes, [3]int{1 + rng.IntN(300), 1 + rng.IntN(300), 1 + rng.IntN(300)})
		}
		for _, sh := range shapes {
			g := randCase(rng, sh[0], sh[1], sh[2])
			d := newGemmData(g, rng)
			d.run(g)
			d.check(t, g, "Sgemm")
			if sh[0]*sh[1]*sh[2] < 1<<21 {
				d.checkGeneric(t, g, "Sgemm")
			}
		}
	})
}

// TestSgemmTinyBlocks runs each level's kernel with tiny cache blocks, so
// that small products cross every block edge (kc, mc and nc) many times.
func TestSgemmTinyBlocks(t *testing.T) {
	forLevels(t, func(t *testing.T, l Level) {
		kern := *gemmKernelFor(l)
		rng := rand.New(rand.NewPCG(4, uint64(l)))
		for i := 0; i < 300; i++ {
			kern.blocks = gemmBlocks{kc: 1 + rng.IntN(9), mc: kern.mr * (1 + rng.IntN(3)), nc: kern.nr * (1 + rng.IntN(3))}
			kern.blocks.ncL2 = kern.nr * (1 + rng.IntN(kern.blocks.nc/kern.nr))
			g := randCase(rng, rng.IntN(40), rng.IntN(60), rng.IntN(40))
			d := newGemmData(g, rng)
			if g.m > 0 && g.n > 0 {
				sgemmBlocked(&kern, g.transA, g.transB, g.m, g.n, g.k, g.alpha, d.a, d.lda, 0, d.b, d.ldb, 0, g.beta, d.c, d.ldc, 0, 1)
			}
			d.check(t, g, "sgemmBlocked(tiny blocks)")
		}
	})
}

// TestSgemmThreadInvariance checks that results are bit-identical for 1, 2
// and 3 threads (work is split over C only, never over k). 400×100×300
// runs with a packed B on one thread (m > mc) and reads B in place on more
// (blocks of ≤ mc rows): the two paths must agree to the bit.
func TestSgemmThreadInvariance(t *testing.T) {
	shapes := [][3]int{{301, 517, 263}, {64, 1000, 130}, {1000, 40, 600}, {97, 97, 1000}, {400, 100, 300}}
	forLevels(t, func(t *testing.T, l Level) {
		rng := rand.New(rand.NewPCG(5, uint64(l)))
		for _, sh := range shapes {
			g := randCase(rng, sh[0], sh[1], sh[2])
			g.alpha = 0.5
			if sh[0] == 400 {
				g.transB = false // the case that switches B paths
			}
			var first []float32
			for _, threads := range []int{1, 2, 3} {
				prev := parallel.SetThreads(threads)
				d := newGemmData(g, rand.New(rand.NewPCG(9, 9)))
				d.run(g)
				parallel.SetThreads(prev)
				if first == nil {
					first = d.bC
					continue
				}
				for i := range first {
					if math.Float32bits(first[i]) != math.Float32bits(d.bC[i]) {
						t.Fatalf("%v: threads=%d differs from threads=1 at %d: %g vs %g", g, threads, i, d.bC[i], first[i])
					}
				}
			}
		}
	})
}

// TestSgemmBatched compares SgemmBatched with one sgemmGeneric per item,
// for batches that run serially and in parallel, with thread invariance.
func TestSgemmBatched(t *testing.T) {
	forLevels(t, func(t *testing.T, l Level) {
		rng := rand.New(rand.NewPCG(6, uint64(l)))
		for _, sh := range [][4]int{{3, 5, 7, 4}, {33, 65, 17, 12}, {128, 128, 64, 3}, {70, 9, 300, 1}} {
			m, n, k, batch := sh[0], sh[1], sh[2], sh[3]
			transA, transB := rng.IntN(2) == 1, rng.IntN(2) == 1
			lda, ldb, ldc := k+1, n+2, n+3
			if transA {
				lda = m + 1
			}
			if transB {
				ldb = k + 2
			}
			sa, sb, sc := (max(m, k)+1)*lda, (max(n, k)+1)*ldb, (m+1)*ldc
			a, b := randSlice(rng, sa*batch), randSlice(rng, sb*batch)
			c0 := randSlice(rng, sc*batch)
			want := append([]float32(nil), c0...)
			for i := 0; i < batch; i++ {
				sgemmGeneric(transA, transB, m, n, k, 0.5, a[i*sa:], lda, b[i*sb:], ldb, -1, want[i*sc:], ldc)
			}
			var first []float32
			for _, threads := range []int{1, 2, 3} {
				prev := parallel.SetThreads(threads)
				got := append([]float32(nil), c0...)
				SgemmBatched(transA, transB, m, n, k, 0.5, a, lda, sa, b, ldb, sb, -1, got, ldc, sc, batch)
				parallel.SetThreads(prev)
				for i := range got {
					if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*float64(k)+1e-6 {
						t.Fatalf("batched %v: c[%d] = %g, want %g", sh, i, got[i], want[i])
					}
					if first != nil && math.Float32bits(first[i]) != math.Float32bits(got[i]) {
						t.Fatalf("batched %v: threads=%d not bit-identical at %d", sh, threads, i)
					}
				}
				first = got
			}
		}
	})
}

// TestSgemmNoAllocs checks that serial products allocate nothing once the
// workspaces exist.
func TestSgemmNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	a, b, c := randSlice(rng, 70*90), randSlice(rng, 90*50), randSlice(rng, 70*50)
	prev := parallel.SetThreads(1)
	defer parallel.SetThreads(prev)
	forLevels(t, func(t *testing.T, l Level) {
		allocs := testing.AllocsPerRun(20, func() {
			Sgemm(false, true, 70, 50, 90, 1, a, 90, b, 90, 0, c, 50)
			SgemmBatched(false, false, 7, 5, 9, 1, a, 9, 63, b, 5, 45, 0, c, 5, 35, 10)
		})
		if allocs != 0 {
			t.Errorf("%v allocations per call, want 0", allocs)
		}
	})
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.Float64()*2 - 1)
	}
	return s
}
