package asm

// Packing copies a block of op(A) or op(B) into the order the micro-kernel
// reads it, so the kernel streams both operands with unit stride whatever
// the transposes and leading dimensions. Transposes cost nothing extra:
// they only change which side of the copy is strided.
//
// Packed A block (mc×kc of op(A)): ceil(mc/mr) micro-panels one after the
// other, each kc steps of mr values (a column of the panel per step):
//
//	dst[(i/mr)*mr*kc + p*mr + i%mr] = op(A)[i0+i][p0+p]
//
// Packed B block (kc×nc of op(B)): ceil(nc/nr) micro-panels, each kc steps
// of nr values (a row of the panel per step):
//
//	dst[(j/nr)*nr*kc + p*nr + j%nr] = op(B)[p0+p][j0+j]
//
// Rows (columns) past the edge of the matrix are padded with zeros, so the
// kernel always runs a full tile; the driver discards the padded results.

// packA packs op(A)[i0:i0+mc, p0:p0+kc] into dst in mr-row micro-panels.
func packA(dst, a []float32, lda int, transA bool, i0, mc, p0, kc, mr int) {
	for ir := 0; ir < mc; ir += mr {
		rows := min(mr, mc-ir)
		d := dst[ir*kc : ir*kc+mr*kc]
		if transA {
			// op(A)[i][p] = a[p*lda+i]: each step is a contiguous run of rows.
			for p := 0; p < kc; p++ {
				src := a[(p0+p)*lda+i0+ir:]
				dp := d[p*mr : p*mr+mr]
				copy(dp, src[:rows])
				clear(dp[rows:])
			}
			continue
		}
		// op(A)[i][p] = a[i*lda+p]: read each row contiguously, write it
		// with stride mr.
		for r := 0; r < rows; r++ {
			src := a[(i0+ir+r)*lda+p0:]
			src = src[:kc]
			for p, v := range src {
				d[p*mr+r] = v
			}
		}
		for r := rows; r < mr; r++ {
			for p := 0; p < kc; p++ {
				d[p*mr+r] = 0
			}
		}
	}
}

// packB packs op(B)[p0:p0+kc, j0:j0+nc] into dst in nr-column micro-panels.
func packB(dst, b []float32, ldb int, transB bool, p0, kc, j0, nc, nr int) {
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		d := dst[jr*kc : jr*kc+nr*kc]
		if !transB {
			// op(B)[p][j] = b[p*ldb+j]: each step is a contiguous run.
			for p := 0; p < kc; p++ {
				src := b[(p0+p)*ldb+j0+jr:]
				dp := d[p*nr : p*nr+nr]
				copy(dp, src[:cols])
				clear(dp[cols:])
			}
			continue
		}
		// op(B)[p][j] = b[j*ldb+p]: read each column of op(B) (a row of B)
		// contiguously, write it with stride nr.
		for j := 0; j < cols; j++ {
			src := b[(j0+jr+j)*ldb+p0:]
			src = src[:kc]
			for p, v := range src {
				d[p*nr+j] = v
			}
		}
		for j := cols; j < nr; j++ {
			for p := 0; p < kc; p++ {
				d[p*nr+j] = 0
			}
		}
	}
}
