//go:build !purego

#include "textflag.h"
#include "vec_amd64.h"

// Max over blocks of 32: four independent accumulators (Y0-Y3) so the
// VMAXPS latency overlaps. Each step is m = max(x, m) with x as the first
// source: VMAXPS returns its second source (m) when either is NaN, so NaN
// elements are skipped without a compare.

VCONST(mxNegInf, 0xff800000)

// func maxAVX2(x []float32, lanes *[32]float32)
TEXT ·maxAVX2(SB), NOSPLIT, $0-32
	MOVQ    x_base+0(FP), SI
	MOVQ    x_len+8(FP), CX
	MOVQ    lanes+24(FP), DI
	VMOVUPS mxNegInf<>(SB), Y0
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3

loop:
	CMPQ    CX, $32
	JL      done
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VMAXPS  Y0, Y4, Y0
	VMAXPS  Y1, Y5, Y1
	VMAXPS  Y2, Y6, Y2
	VMAXPS  Y3, Y7, Y3
	ADDQ    $128, SI
	SUBQ    $32, CX
	JMP     loop

done:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VZEROUPPER
	RET
