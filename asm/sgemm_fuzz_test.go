package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzSgemm compares Sgemm (the kernel level in use) with sgemmGeneric over
// fuzzed shapes, transposes, scalars, start offsets and leading dimensions.
// Run it with: go test -run '^$' -fuzz FuzzSgemm -fuzztime 20000x ./asm/
func FuzzSgemm(f *testing.F) {
	f.Add(uint64(1), uint8(6), uint8(16), uint8(5), uint8(0), uint16(0))
	f.Add(uint64(2), uint8(7), uint8(17), uint8(33), uint8(3), uint16(0x1234))
	f.Add(uint64(3), uint8(65), uint8(1), uint8(200), uint8(0xff), uint16(0xffff))
	f.Fuzz(func(t *testing.T, seed uint64, m, n, k, flags uint8, offs uint16) {
		rng := rand.New(rand.NewPCG(seed, 0))
		alphas := []float32{1, -1, 0.5, 0}
		betas := []float32{0, 1, -1, 0.5}
		g := gemmCase{
			transA: flags&1 != 0, transB: flags&2 != 0,
			m: int(m), n: int(n), k: int(k),
			alpha: alphas[flags>>2&3], beta: betas[flags>>4&3],
			nanC: flags&0x40 != 0 && flags>>4&3 == 0,
			offA: int(offs & 7), offB: int(offs >> 3 & 7), offC: int(offs >> 6 & 7),
			padA: int(offs >> 9 & 3), padB: int(offs >> 11 & 3), padC: int(offs >> 13 & 7),
		}
		d := newGemmData(g, rng)
		want := append([]float32(nil), d.cIn...)
		if g.m > 0 && g.n > 0 {
			sgemmGeneric(g.transA, g.transB, g.m, g.n, g.k, g.alpha, d.a, d.lda, d.b, d.ldb, g.beta, want[d.c0:d.c0+len(d.c)], d.ldc)
		}
		d.run(g)
		d.checkGuards(t, g, "Sgemm", d.bC)
		for i := range want {
			x, y := float64(d.bC[i]), float64(want[i])
			if math.IsNaN(x) != math.IsNaN(y) || math.Abs(x-y) > 1e-5*float64(g.k+2) {
				t.Fatalf("%v: c[%d] = %g, sgemmGeneric %g", g, i, x, y)
			}
		}
	})
}
