//go:build !purego

#include "textflag.h"

// Packing loops for the 6-row A micro-panels of the AVX2 kernel (see
// gemm_pack.go for the layout). Only SSE2 (baseline amd64): these are
// plain moves and shuffles. Leaf functions; the Go wrappers check bounds.

// func packA6SSE(d, a []float32, lda, kc int)
//
// d[p*6+r] = a[r*lda+p] for r < 6, p < kc: six rows of an untransposed A
// read in step, four steps at a time, transposed in registers.
//
// Per four steps: X0-X3 = rows 0-3 (a, b, c, d), X4, X5 = rows 4, 5
// (e, f), each four consecutive p. A 4×4 transpose of X0-X3 gives
// (a_p b_p c_p d_p) for each p; unpacking e with f gives (e_p f_p)
// pairs. Step p is then stored as 16 + 8 bytes at d + 24·p.
TEXT ·packA6SSE(SB), NOSPLIT, $0-64
	MOVQ d_base+0(FP), DI
	MOVQ a_base+24(FP), SI
	MOVQ lda+48(FP), R8
	SHLQ $2, R8
	MOVQ kc+56(FP), CX
	LEAQ (SI)(R8*2), R9
	ADDQ R8, R9                 // R9 = row 3

	CMPQ CX, $4
	JLT  tail

loop4:
	MOVUPS   (SI), X0           // a0 a1 a2 a3
	MOVUPS   (SI)(R8*1), X1     // b0 b1 b2 b3
	MOVUPS   (SI)(R8*2), X2     // c
	MOVUPS   (R9), X3           // d
	MOVUPS   (R9)(R8*1), X4     // e
	MOVUPS   (R9)(R8*2), X5     // f
	MOVAPS   X0, X6
	UNPCKLPS X1, X6             // a0 b0 a1 b1
	UNPCKHPS X1, X0             // a2 b2 a3 b3
	MOVAPS   X2, X7
	UNPCKLPS X3, X7             // c0 d0 c1 d1
	UNPCKHPS X3, X2             // c2 d2 c3 d3
	MOVAPS   X6, X1
	MOVLHPS  X7, X1             // a0 b0 c0 d0
	MOVHLPS  X6, X7             // a1 b1 c1 d1
	MOVAPS   X0, X3
	MOVLHPS  X2, X3             // a2 b2 c2 d2
	MOVHLPS  X0, X2             // a3 b3 c3 d3
	MOVAPS   X4, X6
	UNPCKLPS X5, X6             // e0 f0 e1 f1
	UNPCKHPS X5, X4             // e2 f2 e3 f3
	MOVUPS   X1, 0(DI)
	MOVLPS   X6, 16(DI)
	MOVUPS   X7, 24(DI)
	MOVHPS   X6, 40(DI)
	MOVUPS   X3, 48(DI)
	MOVLPS   X4, 64(DI)
	MOVUPS   X2, 72(DI)
	MOVHPS   X4, 88(DI)
	ADDQ     $16, SI
	ADDQ     $16, R9
	ADDQ     $96, DI
	SUBQ     $4, CX
	CMPQ     CX, $4
	JGE      loop4

tail:
	TESTQ CX, CX
	JZ    done

tail1:
	MOVL (SI), AX
	MOVL AX, 0(DI)
	MOVL (SI)(R8*1), AX
	MOVL AX, 4(DI)
	MOVL (SI)(R8*2), AX
	MOVL AX, 8(DI)
	MOVL (R9), AX
	MOVL AX, 12(DI)
	MOVL (R9)(R8*1), AX
	MOVL AX, 16(DI)
	MOVL (R9)(R8*2), AX
	MOVL AX, 20(DI)
	ADDQ $4, SI
	ADDQ $4, R9
	ADDQ $24, DI
	DECQ CX
	JNZ  tail1

done:
	RET

// func packARow6SSE(d, src []float32, panels, stride int)
//
// d[q*stride+r] = src[q*6+r] for r < 6, q < panels: one stored row of a
// transposed A dealt out six floats to each of panels micro-panels.
TEXT ·packARow6SSE(SB), NOSPLIT, $0-64
	MOVQ d_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ panels+48(FP), CX
	MOVQ stride+56(FP), R8
	SHLQ $2, R8
	TESTQ CX, CX
	JZ    rowdone

row:
	MOVUPS (SI), X0
	MOVSD  16(SI), X1
	MOVUPS X0, (DI)
	MOVSD  X1, 16(DI)
	ADDQ   $24, SI
	ADDQ   R8, DI
	DECQ   CX
	JNZ    row

rowdone:
	RET

// TGROUP(off): four B rows (R10, +ldb, +2ldb, +3ldb), four floats each,
// transposed and stored as the off-th 16 bytes of four consecutive 64-byte
// panel rows; then R10 moves four B rows down.
#define TGROUP(off) \
	MOVUPS   (R10), X0; \
	MOVUPS   (R10)(R8*1), X1; \
	MOVUPS   (R10)(R8*2), X2; \
	MOVUPS   (R10)(R9*1), X3; \
	MOVAPS   X0, X6; \
	UNPCKLPS X1, X6; \
	UNPCKHPS X1, X0; \
	MOVAPS   X2, X7; \
	UNPCKLPS X3, X7; \
	UNPCKHPS X3, X2; \
	MOVAPS   X6, X1; \
	MOVLHPS  X7, X1; \
	MOVHLPS  X6, X7; \
	MOVAPS   X0, X3; \
	MOVLHPS  X2, X3; \
	MOVHLPS  X0, X2; \
	MOVUPS   X1, off(DI); \
	MOVUPS   X7, 64+off(DI); \
	MOVUPS   X3, 128+off(DI); \
	MOVUPS   X2, 192+off(DI); \
	ADDQ     R11, R10

// TONE(off): one float of the B row at R10 to off(DI), next B row.
#define TONE(off) \
	MOVL (R10), AX; \
	MOVL AX, off(DI); \
	ADDQ R8, R10

// func packB16TSSE(d, b []float32, ldb, kc int)
//
// d[p*16+j] = b[j*ldb+p] for j < 16, p < kc: one 16-column micro-panel of
// a transposed B (its columns are stored rows of b), four steps at a time
// as four 4×4 transposes.
TEXT ·packB16TSSE(SB), NOSPLIT, $0-64
	MOVQ d_base+0(FP), DI
	MOVQ b_base+24(FP), SI
	MOVQ ldb+48(FP), R8
	SHLQ $2, R8
	MOVQ kc+56(FP), CX
	LEAQ (R8)(R8*2), R9         // 3 rows
	MOVQ R8, R11
	SHLQ $2, R11                // 4 rows

	CMPQ CX, $4
	JLT  btail

bloop4:
	MOVQ SI, R10
	TGROUP(0)
	TGROUP(16)
	TGROUP(32)
	TGROUP(48)
	ADDQ $16, SI
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  bloop4

btail:
	TESTQ CX, CX
	JZ    bdone

btail1:
	MOVQ SI, R10
	TONE(0)
	TONE(4)
	TONE(8)
	TONE(12)
	TONE(16)
	TONE(20)
	TONE(24)
	TONE(28)
	TONE(32)
	TONE(36)
	TONE(40)
	TONE(44)
	TONE(48)
	TONE(52)
	TONE(56)
	TONE(60)
	ADDQ $4, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  btail1

bdone:
	RET
