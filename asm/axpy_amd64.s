//go:build !purego

#include "textflag.h"

// func axpyAVX2(alpha float32, x, y []float32)
//
// Algorithm: alpha is broadcast to all eight lanes; 32 elements per
// iteration are loaded from y, updated with y += alpha·x by VFMADD231PS
// (one rounding) and stored back; then 8 at a time; then the last < 8 one
// by one with scalar FMAs.

#define ALPHA Y0 // alpha in every lane
#define X     SI // &x[i]
#define Y     DI // &y[i]
#define N     CX // elements left

TEXT ·axpyAVX2(SB), NOSPLIT, $0-56
	VBROADCASTSS alpha+0(FP), ALPHA
	MOVQ         x_base+8(FP), X
	MOVQ         x_len+16(FP), N
	MOVQ         y_base+32(FP), Y

loop32:
	CMPQ        N, $32
	JL          loop8
	VMOVUPS     0(Y), Y4
	VMOVUPS     32(Y), Y5
	VMOVUPS     64(Y), Y6
	VMOVUPS     96(Y), Y7
	VFMADD231PS 0(X), ALPHA, Y4  // y[i:i+8] += alpha·x[i:i+8]
	VFMADD231PS 32(X), ALPHA, Y5
	VFMADD231PS 64(X), ALPHA, Y6
	VFMADD231PS 96(X), ALPHA, Y7
	VMOVUPS     Y4, 0(Y)
	VMOVUPS     Y5, 32(Y)
	VMOVUPS     Y6, 64(Y)
	VMOVUPS     Y7, 96(Y)
	ADDQ        $128, X
	ADDQ        $128, Y
	SUBQ        $32, N
	JMP         loop32

loop8:
	CMPQ        N, $8
	JL          tail
	VMOVUPS     (Y), Y4
	VFMADD231PS (X), ALPHA, Y4
	VMOVUPS     Y4, (Y)
	ADDQ        $32, X
	ADDQ        $32, Y
	SUBQ        $8, N
	JMP         loop8

tail:
	TESTQ       N, N
	JZ          done
	VMOVSS      (Y), X4
	VFMADD231SS (X), X0, X4 // y[i] += alpha·x[i] (X0 is ALPHA's low lane)
	VMOVSS      X4, (Y)
	ADDQ        $4, X
	ADDQ        $4, Y
	DECQ        N
	JMP         tail

done:
	VZEROUPPER
	RET
