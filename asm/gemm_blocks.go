package asm

import "github.com/klauspost/cpuid/v2"

// gemmKernel is one register-blocked micro-kernel and the panel shape it
// reads. fn computes one mr×nr tile of C from kc steps of panels:
//
//	acc[r][j] = Σ_p a[p*mr+r]·b[p*ldb+j]       p = 0..kc-1
//	c[r*ldc+j] = alpha·acc[r][j] + beta·c[r*ldc+j]   (beta == 0: C not read)
//
// a holds kc·mr floats (a packed A micro-panel, a column of mr values per
// step). b holds kc rows of nr values ldb apart: a packed B micro-panel
// (ldb = nr), or, for an untransposed B, the matrix itself (ldb = its row
// stride), which lets small-m products skip packing B. c holds at least
// (mr-1)·ldc+nr floats. kc ≥ 1. One call is one bounded unit of work: the
// assembly kernels are leaf functions.
type gemmKernel struct {
	name   string
	mr, nr int
	fn     func(kc int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
	blocks gemmBlocks
}

// gemmBlocks are the cache-blocking sizes of the Goto/BLIS loop nest:
// kc steps of k per packed panel, mc rows of A per packed block, nc columns
// of B per packed block. mc is a multiple of mr and nc of nr.
type gemmBlocks struct {
	kc, mc, nc int
	// ncL2 replaces nc when one A block covers all rows (m ≤ mc): the B
	// block is then used once, right after packing, so it should still be
	// in L2 when the kernel reads it rather than round-trip through L3.
	ncL2 int
}

// Cache sizes in bytes, read once. cpuid is used only as a hint: when it
// cannot tell (-1, e.g. under qemu or on arm64 without the registers), the
// fallbacks are those of a common desktop core.
var (
	cacheL1D = cacheOr(cpuid.CPU.Cache.L1D, 32<<10)
	cacheL2  = cacheOr(cpuid.CPU.Cache.L2, 512<<10)
	cacheL3  = cacheOr(cpuid.CPU.Cache.L3, 8<<20)
)

func cacheOr(v, fallback int) int {
	if v <= 0 {
		return fallback
	}
	return v
}

// blocksFor sizes the blocks for an mr×nr kernel (BLIS's analytical model,
// simplified):
//   - a B micro-panel (kc×nr) lives in L1 next to the A micro-panel being
//     streamed through, so kc·nr·4 bytes ≈ half of L1;
//   - the packed A block (mc×kc) lives in L2, taking about half of it;
//   - the packed B block (kc×nc) lives in L3, taking a quarter of it so the
//     other core's block and C's lines fit too.
//
// The kc chosen here decides how k is split into partial sums, so it
// depends only on the machine and the kernel, never on the thread count:
// that keeps results bit-identical whatever the number of threads.
func blocksFor(mr, nr int) gemmBlocks {
	kc := cacheL1D / 2 / (nr * 4)
	kc = clampInt(kc&^7, 64, 512)
	mc := cacheL2 / 2 / (kc * 4)
	mc = clampInt(mc/mr*mr, mr, 1024/mr*mr)
	nc := cacheL3 / 4 / (kc * 4)
	nc = clampInt(nc/nr*nr, nr, 8192/nr*nr)
	ncL2 := cacheL2 / 2 / (kc * 4)
	ncL2 = clampInt(ncL2/nr*nr, nr, nc)
	return gemmBlocks{kc: kc, mc: mc, nc: nc, ncL2: ncL2}
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

// kSplit returns the kc used for a product with inner size k: the blocks
// are evened out (k = 300 with kc = 256 runs as 150+150, not 256+44) so no
// panel is tiny. It is a function of k and the kernel only.
func (g gemmBlocks) kSplit(k int) int {
	if k <= g.kc {
		return k
	}
	parts := (k + g.kc - 1) / g.kc
	return (k + parts - 1) / parts
}
