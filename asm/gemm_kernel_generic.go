package asm

// Pure-Go micro-kernels. kernelGo4x4 is the generic level's kernel (a tile
// small enough for Go to keep its 16 sums in registers on amd64);
// microKernelRef is the twin of every assembly kernel, any tile shape, the
// same arithmetic in the same order (one multiply-add per step and element,
// fused where the Go compiler fuses, e.g. arm64), used to test them on the
// very panels they read.

// kernelGo is the generic level's sgemm kernel.
var kernelGo = gemmKernel{name: "go4x4", mr: 4, nr: 4, fn: kernelGo4x4, blocks: blocksFor(4, 4)}

// kernelGo4x4 computes one 4×4 tile (see gemmKernel for the contract).
func kernelGo4x4(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	var c20, c21, c22, c23 float32
	var c30, c31, c32, c33 float32
	a = a[:kc*4]
	b = b[:kc*4]
	for len(a) >= 4 && len(b) >= 4 {
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
		a, b = a[4:], b[4:]
	}
	storeRow4(c[0*ldc:], alpha, beta, c00, c01, c02, c03)
	storeRow4(c[1*ldc:], alpha, beta, c10, c11, c12, c13)
	storeRow4(c[2*ldc:], alpha, beta, c20, c21, c22, c23)
	storeRow4(c[3*ldc:], alpha, beta, c30, c31, c32, c33)
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
func microKernelRef(mr, nr, kc int, a, b, c []float32, ldc int, alpha, beta float32) {
	var acc [256]float32
	for p := 0; p < kc; p++ {
		ap := a[p*mr : p*mr+mr]
		bp := b[p*nr : p*nr+nr]
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
