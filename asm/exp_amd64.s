//go:build !purego

#include "textflag.h"
#include "vec_amd64.h"
#include "exp_amd64.h"

// func expAVX2(dst, x []float32)
//
// Algorithm: dst[i] = e^x[i] with the EXP_AVX2 macro (exp_amd64.h), 16
// elements per iteration as two independent vectors so that their long
// dependency chains overlap, then 8, then the last < 8 with a masked load
// and store (lanes past the end are neither read nor written).

#define DST  DI // &dst[i]
#define X    SI // &x[i]
#define N    CX // elements left
#define MASK Y15

TEXT ·expAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DST
	MOVQ dst_len+8(FP), N
	MOVQ x_base+24(FP), X

loop16:
	CMPQ    N, $16
	JL      loop8
	VMOVUPS 0(X), Y0
	VMOVUPS 32(X), Y3
	EXP_AVX2(Y0, Y1, Y2)
	EXP_AVX2(Y3, Y4, Y5)
	VMOVUPS Y0, 0(DST)
	VMOVUPS Y3, 32(DST)
	ADDQ    $64, X
	ADDQ    $64, DST
	SUBQ    $16, N
	JMP     loop16

loop8:
	CMPQ    N, $8
	JL      tail
	VMOVUPS (X), Y0
	EXP_AVX2(Y0, Y1, Y2)
	VMOVUPS Y0, (DST)
	ADDQ    $32, X
	ADDQ    $32, DST
	SUBQ    $8, N
	JMP     loop8

tail:
	TESTQ      N, N
	JZ         done
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS (X), MASK, Y0 // masked-off lanes read as 0
	EXP_AVX2(Y0, Y1, Y2)
	VMASKMOVPS Y0, MASK, (DST)

done:
	VZEROUPPER
	RET
