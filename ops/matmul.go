package ops

import (
	"fmt"
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("matmul", "op(A)·op(B) for 2-D A, B (op = optional transpose)")
	autograd.Register("batched_matmul", "op(A)·op(B) per leading index for (..., M, K) operands")
}

// mmDims returns m, n, k of op(A)·op(B) and checks the inner dimension.
func mmDims(op string, as, bs []int, transA, transB bool) (m, n, k int) {
	ar, ac := as[len(as)-2], as[len(as)-1]
	br, bc := bs[len(bs)-2], bs[len(bs)-1]
	m, k = ar, ac
	if transA {
		m, k = ac, ar
	}
	kb, n := br, bc
	if transB {
		kb, n = bc, br
	}
	if k != kb {
		panic(fmt.Sprintf("ops.%s: A %v (transA=%v) times B %v (transB=%v): inner dimensions %d and %d differ", op, as, transA, bs, transB, k, kb))
	}
	return m, n, k
}

// matmulBwd accumulates the gradients of C = op(A)·op(B) for batch
// independent products (stride* elements apart). With G = dC:
//
//	dA += G·op(B)ᵀ  (or op(B)·Gᵀ when A is read transposed)
//	dB += op(A)ᵀ·G  (or Gᵀ·op(A) when B is read transposed)
func matmulBwd[F Float](kn *kernels[F], ga, gb, gc, a, b []F, m, n, k int, transA, transB bool, batch int) {
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	sa, sb, sc := m*k, k*n, m*n
	if ga != nil {
		if !transA { // dA (m×k) = G (m×n) · op(B)ᵀ
			kn.gemmBatched(false, !transB, m, k, n, 1, gc, n, sc, b, ldb, sb, 1, ga, lda, sa, batch)
		} else { // dA (k×m) = op(B) (k×n) · Gᵀ
			kn.gemmBatched(transB, true, k, m, n, 1, b, ldb, sb, gc, n, sc, 1, ga, lda, sa, batch)
		}
	}
	if gb != nil {
		if !transB { // dB (k×n) = op(A)ᵀ (k×m) · G
			kn.gemmBatched(!transA, false, k, n, m, 1, a, lda, sa, gc, n, sc, 1, gb, ldb, sb, batch)
		} else { // dB (n×k) = Gᵀ (n×m) · op(A)
			kn.gemmBatched(true, transA, n, k, m, 1, gc, n, sc, a, lda, sa, 1, gb, ldb, sb, batch)
		}
	}
}

// matmulFwd computes C = op(A)·op(B) for batch products.
func matmulFwd[F Float](kn *kernels[F], c, a, b []F, m, n, k int, transA, transB bool, batch int) {
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	kn.gemmBatched(transA, transB, m, n, k, 1, a, lda, m*k, b, ldb, k*n, 0, c, n, m*n, batch)
}

// MatMul returns op(A)·op(B) for 2-D a and b, where op transposes when
// asked; the transpose is a GEMM flag, never a copy.
func MatMul(tp *autograd.Tape, a, b *autograd.Var, transA, transB bool) *autograd.Var {
	if len(a.Shape()) != 2 || len(b.Shape()) != 2 {
		panic(fmt.Sprintf("ops.matmul: want 2-D operands, got %v and %v (use BatchedMatMul)", a.Shape(), b.Shape()))
	}
	return matmul(tp, "matmul", a, b, transA, transB)
}

// BatchedMatMul returns op(A)·op(B) for each leading index of a (..., M, K)
// and b (..., K, N) with equal leading dims (no broadcasting).
func BatchedMatMul(tp *autograd.Tape, a, b *autograd.Var, transA, transB bool) *autograd.Var {
	as, bs := a.Shape(), b.Shape()
	if len(as) < 3 || !slices.Equal(as[:len(as)-2], bs[:max(0, len(bs)-2)]) || len(as) != len(bs) {
		panic(fmt.Sprintf("ops.batched_matmul: want (..., M, K) operands with equal leading dims, got %v and %v", as, bs))
	}
	return matmul(tp, "batched_matmul", a, b, transA, transB)
}

func matmul(tp *autograd.Tape, op string, a, b *autograd.Var, transA, transB bool) *autograd.Var {
	as, bs := a.Shape(), b.Shape()
	m, n, k := mmDims(op, as, bs, transA, transB)
	batch := numel(as[:len(as)-2])
	cs := append(slices.Clone(as[:len(as)-2]), m, n)
	c := tp.Empty(cs...)
	matmulFwd(k32, c.Data(), a.Data(), b.Data(), m, n, k, transA, transB, batch)
	return tp.Op(op, c, func(out *autograd.Var) {
		matmulBwd(k32, tp.Grad(a), tp.Grad(b), out.Grad.Data(), a.Data(), b.Data(), m, n, k, transA, transB, batch)
	}, a, b)
}
