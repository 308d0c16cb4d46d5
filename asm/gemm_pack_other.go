//go:build !amd64 || purego

package asm

// packA6, packARow6 and packB16T are the Go loops here (amd64 has SSE versions in
// gemm_pack_amd64.s; mr = 6 and nr = 16 are only used by the AVX2 kernel, so on other
// platforms they run only in tests).
func packA6(d, a []float32, lda, i, p0, kc int) { packA6Go(d, a, lda, i, p0, kc) }

func packARow6(d, src []float32, panels, stride int) { packARow6Go(d, src, panels, stride) }

func packB16T(d, b []float32, ldb, kc int) { packB16TGo(d, b, ldb, kc) }
