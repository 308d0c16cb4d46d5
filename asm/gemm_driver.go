package asm

// The blocked sgemm driver (Goto/BLIS loop nest). For one block of C it
// runs
//
//	for jc over n step nc:            B block (kc×nc) packed, lives in L3
//	  for pc over k step kc:          one partial sum of k
//	    pack op(B)[pc:pc+kc, jc:jc+nc]
//	    for ic over m step mc:        A block (mc×kc) packed, lives in L2
//	      pack op(A)[ic:ic+mc, pc:pc+kc]
//	      for jr over nc step nr:     B micro-panel (kc×nr) stays in L1
//	        for ir over mc step mr:   A micro-panel streams from L2
//	          kernel: C[ir:ir+mr, jr:jr+nr] = alpha·A·B + beta'·C
//
// where beta' is beta for the first kc block and 1 after it. Every element
// of C sees the same sequence of operations whichever block, worker or
// thread count computes it, because the kc split depends only on k and the
// kernel (see gemmBlocks.kSplit) and tiles are laid on one global grid.

// gemmArgs are the arguments of one Sgemm call.
type gemmArgs struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a              []float32
	lda            int
	b              []float32
	ldb            int
	c              []float32
	ldc            int
}

// scaleC does C = beta·C the way sgemmGeneric does (beta 0 clears, so NaNs
// in C do not survive); it is all that is left when alpha or k is 0.
func scaleC(beta float32, c []float32, ldc, m, n int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
			continue
		}
		for j := range ci {
			ci[j] *= beta
		}
	}
}

// gemmBlock computes rows [i0, i1) and columns [j0, j1) of C. i0 is a
// multiple of mr and j0 of nr (the global tile grid).
func gemmBlock(kern *gemmKernel, ws *gemmWorkspace, g *gemmArgs, i0, i1, j0, j1 int) {
	mr, nr := kern.mr, kern.nr
	bl := kern.blocks
	kcMax := bl.kSplit(g.k)
	// The packed A block depends on (ic, pc) only. When both loops have a
	// single trip (m ≤ mc, k ≤ kc: the small-m shapes) it is packed once
	// for all jc.
	packedIC, packedPC := -1, -1
	// directB: when one A block covers all rows, every B element is used
	// by at most mc rows right after it would have been packed, and packing
	// costs about as much as using it; an untransposed B is then read in
	// place (the kernel takes B's row stride). Ragged last panels are still
	// packed, so the kernel always reads full rows of nr. Not when B's rows
	// are a multiple of 4 KiB apart: then all kc rows of a micro-panel fall
	// in one L1 set and evict each other (64x128x2048: 52 GFLOP/s direct,
	// 70 packed; 64x128x2000: 90 direct, 70 packed).
	directB := gemmDirectB && !g.transB && i1-i0 <= bl.mc && g.ldb%1024 != 0
	ncMax := bl.nc
	if i1-i0 <= bl.mc && !directB {
		ncMax = bl.ncL2 // see gemmBlocks.ncL2 (an unpacked B needs no L2 room)
	}
	for jc := j0; jc < j1; jc += ncMax {
		nc := min(ncMax, j1-jc)
		for pc := 0; pc < g.k; pc += kcMax {
			kc := min(kcMax, g.k-pc)
			beta := g.beta
			if pc > 0 {
				beta = 1
			}
			if !directB {
				packB(ws.b, g.b, g.ldb, g.transB, pc, kc, jc, nc, nr)
			}
			for ic := i0; ic < i1; ic += bl.mc {
				mc := min(bl.mc, i1-ic)
				if ic != packedIC || pc != packedPC {
					packA(ws.a, g.a, g.lda, g.transA, ic, mc, pc, kc, mr)
					packedIC, packedPC = ic, pc
				}
				for jr := 0; jr < nc; jr += nr {
					cols := min(nr, nc-jr)
					ob := jr / nr * panelStride(nr, kc)
					bp, ldb := ws.b[ob:ob+nr*kc], nr
					if directB && cols == nr {
						bp, ldb = g.b[pc*g.ldb+jc+jr:], g.ldb
					} else if directB {
						bp = ws.b[:nr*kc]
						packB(bp, g.b, g.ldb, false, pc, kc, jc+jr, cols, nr)
					}
					for ir := 0; ir < mc; ir += mr {
						oa := ir / mr * panelStride(mr, kc)
						ap := ws.a[oa : oa+mr*kc]
						rows := min(mr, mc-ir)
						off := (ic+ir)*g.ldc + jc + jr
						if rows == mr && cols == nr {
							kern.fn(kc, ap, bp, ldb, g.c[off:], g.ldc, g.alpha, beta)
							continue
						}
						// Edge tile: the kernel writes a full tile into tmp,
						// only its valid part is merged into C.
						kern.fn(kc, ap, bp, ldb, ws.tmp, nr, g.alpha, 0)
						mergeEdge(g.c[off:], g.ldc, ws.tmp, nr, rows, cols, beta)
					}
				}
			}
		}
	}
}

// mergeEdge does C = t + beta·C on a rows×cols corner (t = alpha·A·B).
func mergeEdge(c []float32, ldc int, t []float32, ldt, rows, cols int, beta float32) {
	for r := 0; r < rows; r++ {
		cr := c[r*ldc : r*ldc+cols]
		tr := t[r*ldt : r*ldt+cols]
		if beta == 0 {
			copy(cr, tr)
			continue
		}
		for j := range cr {
			cr[j] = tr[j] + beta*cr[j]
		}
	}
}

// gemmDirectB enables the directB path (a variable so that benchmarks can
// compare both ways).
var gemmDirectB = true
