package asm

// Pure-Go micro-kernels. kernelGo2x4 is the generic level's kernel: Go
// does not vectorise, and amd64 gives it 15 usable float registers, so the
// tile is the largest whose sums, B row and A value fit in them (8 + 4 + 1;
// a 4×4 tile measured 1.5× slower from spills). microKernelRef is the twin
// of every assembly kernel, any tile shape, the same arithmetic in the
// same order (one multiply-add per step and element, fused where the Go
// compiler fuses, e.g. arm64), used to test them on the very panels they
// read.

// kernelGo is the generic level's sgemm kernel.
var kernelGo = gemmKernel{name: "go2x4", mr: 2, nr: 4, fn: kernelGo2x4, blocks: blocksFor(2, 4)}

// kernelGo2x4 computes one 2×4 tile (see gemmKernel for the contract).
func kernelGo2x4(kc int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	a = a[:kc*2]
	for p := 0; p < kc; p++ {
		bp := b[p*ldb : p*ldb+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		a0 := a[0]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		a1 := a[1]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		a = a[2:]
	}
	storeRow4(c[0*ldc:], alpha, beta, c00, c01, c02, c03)
	storeRow4(c[1*ldc:], alpha, beta, c10, c11, c12, c13)
}

func storeRow4(c []float32, alpha, beta float32, s0, s1, s2, s3 float32) {
	c = c[:4]
	if beta == 0 {
		c[0], c[1], c[2], c[3] = alpha*s0, alpha*s1, alpha*s2, alpha*s3
		return
	}
	c[0] = alpha*s0 + beta*c[0]
	c[1] = alpha*s1 + beta*c[1]
	c[2] = alpha*s2 + beta*c[2]
	c[3] = alpha*s3 + beta*c[3]
}

// microKernelRef is the pure-Go twin of an mr×nr micro-kernel (mr·nr ≤
// 256): the specification the assembly kernels are tested against.
func microKernelRef(mr, nr, kc int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	var acc [256]float32
	for p := 0; p < kc; p++ {
		ap := a[p*mr : p*mr+mr]
		bp := b[p*ldb : p*ldb+nr]
		for r, av := range ap {
			row := acc[r*nr : r*nr+nr]
			for j, bv := range bp {
				row[j] += av * bv
			}
		}
	}
	for r := 0; r < mr; r++ {
		cr := c[r*ldc : r*ldc+nr]
		for j := range cr {
			if beta == 0 {
				cr[j] = alpha * acc[r*nr+j]
			} else {
				cr[j] = alpha*acc[r*nr+j] + beta*cr[j]
			}
		}
	}
}
