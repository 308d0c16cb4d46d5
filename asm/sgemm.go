package asm

import "fmt"

// Sgemm computes C = alpha·op(A)·op(B) + beta·C on row-major matrices, where
// op(X) is X or Xᵀ as transA/transB say. op(A) is m×k, op(B) is k×n, C is
// m×n; lda, ldb, ldc are the row strides of A, B, C as stored (A is m×k
// when !transA and k×m when transA, and likewise for B). When beta is 0, C
// is not read, so NaNs in it do not propagate (BLAS semantics).
//
// Products of 2²⁰ multiply-adds or more (for SgemmBatched: the whole
// batch) run on the internal/parallel pool, split over blocks of C only
// (never over k), so the result is bit-identical whatever the thread count.
// Like any parallel.For user, do not call it from inside a parallel.For
// body (no nested parallelism); smaller products run on the calling
// goroutine and are safe there.
//
// Reference loop:
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < n; j++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				s += opA(i, p) * opB(p, j)
//			}
//			c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
//		}
//	}
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// SgemmBatched runs batch independent Sgemm calls whose operands start
// strideA, strideB and strideC elements apart (attention's per-head
// products).
func SgemmBatched(transA, transB bool, m, n, k int, alpha float32, a []float32, lda, strideA int, b []float32, ldb, strideB int, beta float32, c []float32, ldc, strideC int, batch int) {
	if batch < 0 {
		panic(fmt.Sprintf("asm.SgemmBatched: negative batch %d", batch))
	}
	if batch == 0 || m == 0 || n == 0 {
		return
	}
	last := batch - 1
	checkGemm(transA, transB, m, n, k, a[min(last*strideA, len(a)):], lda, b[min(last*strideB, len(b)):], ldb, c[min(last*strideC, len(c)):], ldc)
	sgemmBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch)
}

// sgemm and sgemmBatched are bound by the dispatcher.
var (
	sgemm        = sgemmGeneric
	sgemmBatched = sgemmBatchedGeneric
)

func sgemmBatchedGeneric(transA, transB bool, m, n, k int, alpha float32, a []float32, lda, strideA int, b []float32, ldb, strideB int, beta float32, c []float32, ldc, strideC int, batch int) {
	for i := 0; i < batch; i++ {
		sgemm(transA, transB, m, n, k, alpha, a[i*strideA:], lda, b[i*strideB:], ldb, beta, c[i*strideC:], ldc)
	}
}

// checkGemm panics with a message naming the bad argument: a shape error
// here is a programming error in the caller.
func checkGemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("asm.Sgemm: negative size m=%d n=%d k=%d", m, n, k))
	}
	rowsA, colsA := m, k
	if transA {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if transB {
		rowsB, colsB = n, k
	}
	need := func(name string, x []float32, rows, cols, ld int) {
		if ld < max(cols, 1) {
			panic(fmt.Sprintf("asm.Sgemm: ld%s=%d < %d columns", name, ld, cols))
		}
		if rows > 0 && cols > 0 && len(x) < (rows-1)*ld+cols {
			panic(fmt.Sprintf("asm.Sgemm: len(%s)=%d too short for %dx%d with ld=%d", name, len(x), rows, cols, ld))
		}
	}
	need("a", a, rowsA, colsA, lda)
	need("b", b, rowsB, colsB, ldb)
	need("c", c, m, n, ldc)
}
