//go:build !purego

package asm

// packA6 packs one full 6-row panel of an untransposed A (the AVX2
// kernel's common case): d[p*6+r] = a[(i+r)*lda+p0+p], r < 6, p < kc. The
// SSE loop transposes 4 steps of the six rows in registers; the Go loop
// (packA6Go) costs about a quarter of a small-n product's time
// (504×2048×128), as much as ~1.5 loads+stores per float.
func packA6(d, a []float32, lda, i, p0, kc int) {
	if !gemmPackSSE {
		packA6Go(d, a, lda, i, p0, kc)
		return
	}
	base := i*lda + p0
	_ = a[base+5*lda : base+5*lda+kc] // all six rows are inside a
	_ = d[:6*kc]
	packA6SSE(d[:6*kc], a[base:base+5*lda+kc], lda, kc)
}

// packARow6 deals one stored row of a transposed A out to panels 6-row
// micro-panels, stride floats apart: d[q*stride+r] = src[q*6+r].
func packARow6(d, src []float32, panels, stride int) {
	if panels == 0 {
		return
	}
	if !gemmPackSSE {
		packARow6Go(d, src, panels, stride)
		return
	}
	_ = src[:6*panels]
	_ = d[:(panels-1)*stride+6]
	packARow6SSE(d, src, panels, stride)
}

// packB16T packs one full 16-column micro-panel of a transposed B (the
// AVX2 kernel's NT/TT case): d[p*16+j] = b[j*ldb+p], j < 16, p < kc, b
// starting at op(B)[p0][j0].
func packB16T(d, b []float32, ldb, kc int) {
	if !gemmPackSSE {
		packB16TGo(d, b, ldb, kc)
		return
	}
	_ = b[15*ldb : 15*ldb+kc]
	packB16TSSE(d[:16*kc], b[:15*ldb+kc], ldb, kc)
}

// packB16TSSE: the caller guarantees len(b) ≥ 15·ldb+kc, len(d) ≥ 16·kc.
//
//go:noescape
func packB16TSSE(d, b []float32, ldb, kc int)

// packA6SSE: the caller guarantees len(a) ≥ 5·lda+kc, len(d) ≥ 6·kc.
//
//go:noescape
func packA6SSE(d, a []float32, lda, kc int)

// packARow6SSE: the caller guarantees len(src) ≥ 6·panels, len(d) ≥
// (panels-1)·stride+6, panels ≥ 1.
//
//go:noescape
func packARow6SSE(d, src []float32, panels, stride int)

// gemmPackSSE enables the SSE packers (a variable so that benchmarks can
// compare both ways).
var gemmPackSSE = true
