package asm

// sgemmGeneric is the pure-Go twin of the sgemm kernels and their test
// oracle. It scales C by beta first, then adds alpha·op(A)·op(B) one row of
// C at a time, with the inner loop running along contiguous memory.
func sgemmGeneric(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
		} else if beta != 1 {
			for j := range ci {
				ci[j] *= beta
			}
		}
		if alpha == 0 || k == 0 {
			continue
		}
		if !transB {
			for p := 0; p < k; p++ {
				var aip float32
				if transA {
					aip = a[p*lda+i]
				} else {
					aip = a[i*lda+p]
				}
				aip *= alpha
				bp := b[p*ldb : p*ldb+n]
				for j, bv := range bp {
					ci[j] += aip * bv
				}
			}
			continue
		}
		for j := 0; j < n; j++ {
			bj := b[j*ldb : j*ldb+k]
			var s float32
			for p, bv := range bj {
				if transA {
					s += a[p*lda+i] * bv
				} else {
					s += a[i*lda+p] * bv
				}
			}
			ci[j] += alpha * s
		}
	}
}
