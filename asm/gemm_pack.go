package asm

// Packing copies a block of op(A) or op(B) into the order the micro-kernel
// reads it, so the kernel streams both operands with unit stride whatever
// the transposes and leading dimensions. Transposes cost nothing extra:
// they only change which side of the copy is strided.
//
// Packed A block (mc×kc of op(A)): ceil(mc/mr) micro-panels one after the
// other, panelStride(mr, kc) apart, each kc steps of mr values (a column of
// the panel per step):
//
//	dst[(i/mr)*panelStride(mr, kc) + p*mr + i%mr] = op(A)[i0+i][p0+p]
//
// Packed B block (kc×nc of op(B)): ceil(nc/nr) micro-panels, each kc steps
// of nr values (a row of the panel per step):
//
//	dst[(j/nr)*panelStride(nr, kc) + p*nr + j%nr] = op(B)[p0+p][j0+j]
//
// Rows (columns) past the edge of the matrix are padded with zeros, so the
// kernel always runs a full tile; the driver discards the padded results.

// panelStride is the distance in floats between micro-panels: r·kc plus
// 64 bytes. Without the pad, panels of 6×256 or 16×256 floats start 6 or 16
// KiB apart, so the lines the row-wise packers write into many panels at
// once all fall in one or two L1 sets and can evict each other before they
// are complete. (On this machine the measured gain was within the noise;
// the pad costs nothing.)
func panelStride(r, kc int) int { return r*kc + 16 }

// packA packs op(A)[i0:i0+mc, p0:p0+kc] into dst in mr-row micro-panels.
func packA(dst, a []float32, lda int, transA bool, i0, mc, p0, kc, mr int) {
	if transA {
		packATrans(dst, a, lda, i0, mc, p0, kc, mr)
		return
	}
	for ir := 0; ir < mc; ir += mr {
		rows := min(mr, mc-ir)
		o := ir / mr * panelStride(mr, kc)
		d := dst[o : o+mr*kc]
		if rows == 6 && mr == 6 {
			packA6(d, a, lda, i0+ir, p0, kc)
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

// packATrans packs a transposed A: op(A)[i][p] = a[p*lda+i], so step p of
// every panel comes from one stored row. The loop runs along those rows
// (p outer): each row segment (mc floats) is read once, in order, and dealt
// out mr at a time to the ceil(mc/mr) panels, whose current lines stay in
// L1 (going panel by panel instead would touch kc rows lda apart for every
// panel; measured ~10% slower on TN products).
func packATrans(dst, a []float32, lda, i0, mc, p0, kc, mr int) {
	for p := 0; p < kc; p++ {
		src := a[(p0+p)*lda+i0:][:mc]
		ir := 0
		if mr == 6 { // the AVX2 kernel's full panels
			packARow6(dst[p*6:], src, mc/6, panelStride(6, kc))
			ir = mc / 6 * 6
		}
		for ; ir < mc; ir += mr {
			rows := min(mr, mc-ir)
			o := ir/mr*panelStride(mr, kc) + p*mr
			dp := dst[o : o+mr]
			if rows == mr && copyPanelRow(dp, src[ir:]) {
				continue
			}
			for r, v := range src[ir : ir+rows] {
				dp[r] = v
			}
			for r := rows; r < mr; r++ {
				dp[r] = 0
			}
		}
	}
}

// packChunkB is how many B micro-panels packBNoTrans fills together: a
// row segment of packChunkB·nr floats is read per step. A whole B block
// (up to nc/nr = 512 panels) at once would keep too many write streams
// open; one panel at a time reads kc rows ldb apart per panel.
const packChunkB = 32

// packB packs op(B)[p0:p0+kc, j0:j0+nc] into dst in nr-column micro-panels.
func packB(dst, b []float32, ldb int, transB bool, p0, kc, j0, nc, nr int) {
	if !transB {
		packBNoTrans(dst, b, ldb, p0, kc, j0, nc, nr)
		return
	}
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		o := jr / nr * panelStride(nr, kc)
		d := dst[o : o+nr*kc]
		if nr == 16 && cols == 16 { // the AVX2 kernel's full panels
			packB16T(d, b[(j0+jr)*ldb+p0:], ldb, kc)
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

// packA6Go is packA's inner loop for a full 6-row panel of an untransposed
// A (the AVX2 kernel's common case): six rows read in step, written as
// consecutive groups of six. The specification of packA6 (an SSE loop on
// amd64, this loop elsewhere).
func packA6Go(d, a []float32, lda, i, p0, kc int) {
	r0 := a[i*lda+p0:][:kc]
	r1 := a[(i+1)*lda+p0:][:len(r0)]
	r2 := a[(i+2)*lda+p0:][:len(r0)]
	r3 := a[(i+3)*lda+p0:][:len(r0)]
	r4 := a[(i+4)*lda+p0:][:len(r0)]
	r5 := a[(i+5)*lda+p0:][:len(r0)]
	d = d[:6*len(r0)]
	for p := range r0 {
		dp := d[p*6 : p*6+6 : p*6+6]
		dp[0], dp[1], dp[2], dp[3], dp[4], dp[5] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
	}
}

// packARow6Go deals one stored row of a transposed A out to panels 6-row
// micro-panels, stride floats apart: d[q*stride+r] = src[q*6+r]. The
// specification of packARow6 (an SSE loop on amd64).
func packARow6Go(d, src []float32, panels, stride int) {
	for q := 0; q < panels; q++ {
		move6(d[q*stride:q*stride+6], src[q*6:q*6+6])
	}
}

// packB16TGo packs one full 16-column micro-panel of a transposed B:
// d[p*16+j] = b[j*ldb+p]. The specification of packB16T (an SSE loop on
// amd64).
func packB16TGo(d, b []float32, ldb, kc int) {
	d = d[:16*kc]
	for j := 0; j < 16; j++ {
		for p, v := range b[j*ldb:][:kc] {
			d[p*16+j] = v
		}
	}
}

// packBNoTrans packs an untransposed B: op(B)[p][j] = b[p*ldb+j]. Like
// packATrans it walks the stored rows (p outer), packChunkB panels at a
// time.
func packBNoTrans(dst, b []float32, ldb, p0, kc, j0, nc, nr int) {
	for jc := 0; jc < nc; jc += packChunkB * nr {
		cw := min(packChunkB*nr, nc-jc)
		for p := 0; p < kc; p++ {
			src := b[(p0+p)*ldb+j0+jc:][:cw]
			jr := 0
			if nr == 16 { // the AVX2 kernel's full panels, inlined moves
				for ; jr+16 <= cw; jr += 16 {
					o := (jc+jr)/16*panelStride(16, kc) + p*16
					move16(dst[o:o+16], src[jr:jr+16])
				}
			}
			for ; jr < cw; jr += nr {
				cols := min(nr, cw-jr)
				o := (jc+jr)/nr*panelStride(nr, kc) + p*nr
				dp := dst[o : o+nr]
				if cols == nr && copyPanelRow(dp, src[jr:]) {
					continue
				}
				for j, v := range src[jr : jr+cols] {
					dp[j] = v
				}
				for j := cols; j < nr; j++ {
					dp[j] = 0
				}
			}
		}
	}
}

// copyPanelRow copies len(dst) floats from src for the tile widths of our
// kernels as fixed-size 16-byte array moves (one vector move each: no
// memmove call, no per-element bounds check) and reports whether it did.
// (A single [16]float32 move compiles to a memmove call, which costs more
// than the copy at these sizes.) Each case is a small function the
// compiler inlines; a switch over all of them in one body would not be.
func copyPanelRow(dst, src []float32) bool {
	switch len(dst) {
	case 16:
		move16(dst, src)
	case 8:
		move8(dst, src)
	case 6:
		move6(dst, src)
	case 4:
		*(*[4]float32)(dst) = *(*[4]float32)(src)
	default:
		return false
	}
	return true
}

func move16(dst, src []float32) {
	*(*[4]float32)(dst[0:4]) = *(*[4]float32)(src[0:4])
	*(*[4]float32)(dst[4:8]) = *(*[4]float32)(src[4:8])
	*(*[4]float32)(dst[8:12]) = *(*[4]float32)(src[8:12])
	*(*[4]float32)(dst[12:16]) = *(*[4]float32)(src[12:16])
}

func move8(dst, src []float32) {
	*(*[4]float32)(dst[0:4]) = *(*[4]float32)(src[0:4])
	*(*[4]float32)(dst[4:8]) = *(*[4]float32)(src[4:8])
}

func move6(dst, src []float32) {
	*(*[4]float32)(dst[0:4]) = *(*[4]float32)(src[0:4])
	*(*[2]float32)(dst[4:6]) = *(*[2]float32)(src[4:6])
}
