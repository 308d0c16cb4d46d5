//go:build !purego

#include "textflag.h"
#include "vec_amd64.h"
#include "exp_amd64.h"

// The three passes of a softmax row (softmax_amd64.go drives them over
// chunks of at most vecChunk elements):
//   softmaxMaxAVX2:    m = max x[i]
//   softmaxExpSumAVX2: dst[i] = e^(x[i]-m), returns Σ dst[i]
//   softmaxScaleAVX2:  x[i] *= a   (a = 1/Σ)

VCONST(smNegInf, 0xff800000) // -Inf

#define X    SI  // &x[i]
#define DST  DI  // &dst[i]
#define N    CX  // elements left
#define M    Y8  // m in every lane
#define ACC0 Y6  // running sums or maxima
#define ACC1 Y7
#define MASK Y15 // tail lanes

// func softmaxMaxAVX2(x []float32) float32
//
// Two accumulators of eight lanes take 16 elements per iteration with
// VMAXPS, then 8; they are reduced to one lane and the last < 8 elements
// are folded in with VMAXSS. NaN handling is irrelevant here: a NaN in the
// row makes the row NaN through the exponentials anyway.
TEXT ·softmaxMaxAVX2(SB), NOSPLIT, $0-28
	MOVQ    x_base+0(FP), X
	MOVQ    x_len+8(FP), N
	VMOVUPS smNegInf<>(SB), ACC0
	VMOVUPS ACC0, ACC1

max16:
	CMPQ   N, $16
	JL     max8
	VMAXPS 0(X), ACC0, ACC0
	VMAXPS 32(X), ACC1, ACC1
	ADDQ   $64, X
	SUBQ   $16, N
	JMP    max16

max8:
	CMPQ   N, $8
	JL     maxreduce
	VMAXPS (X), ACC0, ACC0
	ADDQ   $32, X
	SUBQ   $8, N

maxreduce:
	VMAXPS       ACC1, ACC0, ACC0
	VEXTRACTF128 $1, ACC0, X1
	VMAXPS       X1, X6, X6         // X6 is ACC0's low half
	VPERMILPS    $0x4e, X6, X1      // swap 64-bit halves
	VMAXPS       X1, X6, X6
	VPERMILPS    $0xb1, X6, X1      // swap neighbours
	VMAXPS       X1, X6, X6         // lane 0 = max

maxtail:
	TESTQ  N, N
	JZ     maxdone
	VMAXSS (X), X6, X6
	ADDQ   $4, X
	DECQ   N
	JMP    maxtail

maxdone:
	VZEROUPPER
	VMOVSS X6, ret+24(FP)
	RET

// func softmaxExpSumAVX2(dst, x []float32, m float32) float32
//
// dst[i] = e^(x[i]-m) with EXP_AVX2, 16 per iteration in two independent
// vectors, each added to its own accumulator; the masked tail zeroes its
// unused lanes before adding them. The accumulators are summed
// horizontally at the end.
TEXT ·softmaxExpSumAVX2(SB), NOSPLIT, $0-60
	MOVQ         dst_base+0(FP), DST
	MOVQ         dst_len+8(FP), N
	MOVQ         x_base+24(FP), X
	VBROADCASTSS m+48(FP), M
	VXORPS       ACC0, ACC0, ACC0
	VXORPS       ACC1, ACC1, ACC1

exp16:
	CMPQ    N, $16
	JL      exp8
	VMOVUPS 0(X), Y0
	VMOVUPS 32(X), Y3
	VSUBPS  M, Y0, Y0 // x - m
	VSUBPS  M, Y3, Y3
	EXP_AVX2(Y0, Y1, Y2)
	EXP_AVX2(Y3, Y4, Y5)
	VMOVUPS Y0, 0(DST)
	VMOVUPS Y3, 32(DST)
	VADDPS  Y0, ACC0, ACC0
	VADDPS  Y3, ACC1, ACC1
	ADDQ    $64, X
	ADDQ    $64, DST
	SUBQ    $16, N
	JMP     exp16

exp8:
	CMPQ    N, $8
	JL      exptail
	VMOVUPS (X), Y0
	VSUBPS  M, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2)
	VMOVUPS Y0, (DST)
	VADDPS  Y0, ACC0, ACC0
	ADDQ    $32, X
	ADDQ    $32, DST
	SUBQ    $8, N

exptail:
	TESTQ      N, N
	JZ         expreduce
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS (X), MASK, Y0
	VSUBPS     M, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2)
	VMASKMOVPS Y0, MASK, (DST)
	VANDPS     MASK, Y0, Y0 // lanes past the end add 0
	VADDPS     Y0, ACC1, ACC1

expreduce:
	VADDPS       ACC1, ACC0, ACC0
	VEXTRACTF128 $1, ACC0, X1
	VADDPS       X1, X6, X6
	VHADDPS      X6, X6, X6
	VHADDPS      X6, X6, X6
	VZEROUPPER
	VMOVSS       X6, ret+56(FP)
	RET

// func softmaxScaleAVX2(x []float32, a float32)
//
// x[i] *= a, 32 per iteration, then 8, then a masked tail.
TEXT ·softmaxScaleAVX2(SB), NOSPLIT, $0-28
	MOVQ         x_base+0(FP), X
	MOVQ         x_len+8(FP), N
	VBROADCASTSS a+24(FP), M

scale32:
	CMPQ    N, $32
	JL      scale8
	VMULPS  0(X), M, Y0
	VMULPS  32(X), M, Y1
	VMULPS  64(X), M, Y2
	VMULPS  96(X), M, Y3
	VMOVUPS Y0, 0(X)
	VMOVUPS Y1, 32(X)
	VMOVUPS Y2, 64(X)
	VMOVUPS Y3, 96(X)
	ADDQ    $128, X
	SUBQ    $32, N
	JMP     scale32

scale8:
	CMPQ    N, $8
	JL      scaletail
	VMULPS  (X), M, Y0
	VMOVUPS Y0, (X)
	ADDQ    $32, X
	SUBQ    $8, N
	JMP     scale8

scaletail:
	TESTQ      N, N
	JZ         scaledone
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS (X), MASK, Y0
	VMULPS     Y0, M, Y0
	VMASKMOVPS Y0, MASK, (X)

scaledone:
	VZEROUPPER
	RET
