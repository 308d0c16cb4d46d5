//go:build !purego

#include "textflag.h"
#include "exp_arm64.h"

// The three passes of a softmax row on NEON, four lanes at a time over the
// first len&^3 elements (softmax_arm64.go does the rest and the chunking):
//   softmaxMaxNEON:    max x[i]                     (FMAX, FMAXP)
//   softmaxExpSumNEON: dst[i] = e^(x[i]-m), Σ dst[i] (FSUB, EXP_NEON, FADD)
//   softmaxScaleNEON:  x[i] *= a                     (FMUL)
// The vector float instructions Go's assembler lacks are WORD encodings,
// with fixed registers: V0 data, V4 m or a, V5-V7 and V16 accumulators,
// V9-V12 loaded x (see also the EXP_NEON register map in exp_arm64.h).

#define X   R0 // &x[i]
#define DST R1 // &dst[i]
#define N   R2 // elements left, a multiple of 4

// func softmaxMaxNEON(x []float32) float32
TEXT ·softmaxMaxNEON(SB), NOSPLIT, $0-28
	MOVD x_base+0(FP), X
	MOVD x_len+8(FP), N
	AND  $~3, N
	MOVW $0xff800000, R4
	VDUP R4, V5.S4    // -Inf

max4:
	CBZ    N, maxdone
	VLD1.P 16(X), [V0.S4]
	WORD   $0x4e20f4a5 // FMAX V5.4S, V5.4S, V0.4S
	SUB    $4, N
	B      max4

maxdone:
	WORD  $0x6e25f4a5 // FMAXP V5.4S, V5.4S, V5.4S
	WORD  $0x6e25f4a5 // FMAXP V5.4S, V5.4S, V5.4S (lane 0 = max)
	FMOVS F5, ret+24(FP)
	RET

// func softmaxExpSumNEON(dst, x []float32, m float32) float32
//
// 16 elements per iteration go through EXP_NEON one vector at a time into
// four accumulators (V5, V6, V7, V16: 16 partial sums keep long rows
// accurate), then 4 at a time into V5; the accumulators are added at the
// end.

// EXPSUM_ONE(VIN, FADDW): V0 = e^(VIN - m), stored to dst, then the
// accumulator WORD FADDW adds it.
#define EXPSUM_ONE(VIN, FADDW) \
	VMOV   VIN.B16, V0.B16 ; \
	WORD   $0x4ea4d400 ; \
	EXP_NEON ; \
	VST1.P [V0.S4], 16(DST) ; \
	WORD   FADDW

TEXT ·softmaxExpSumNEON(SB), NOSPLIT, $0-60
	MOVD  dst_base+0(FP), DST
	MOVD  dst_len+8(FP), N
	MOVD  x_base+24(FP), X
	AND   $~3, N
	FMOVS m+48(FP), F4
	VDUP  V4.S[0], V4.S4 // m in every lane
	VEOR  V5.B16, V5.B16, V5.B16
	VEOR  V6.B16, V6.B16, V6.B16
	VEOR  V7.B16, V7.B16, V7.B16
	VEOR  V16.B16, V16.B16, V16.B16
	EXP_NEON_CONSTS

exp16:
	CMP    $16, N
	BLT    exp4
	VLD1.P 64(X), [V9.S4, V10.S4, V11.S4, V12.S4]
	EXPSUM_ONE(V9, $0x4e20d4a5)  // FADD V5.4S, V5.4S, V0.4S
	EXPSUM_ONE(V10, $0x4e20d4c6) // FADD V6.4S, V6.4S, V0.4S
	EXPSUM_ONE(V11, $0x4e20d4e7) // FADD V7.4S, V7.4S, V0.4S
	EXPSUM_ONE(V12, $0x4e20d610) // FADD V16.4S, V16.4S, V0.4S
	SUB    $16, N
	B      exp16

exp4:
	CBZ    N, expdone
	VLD1.P 16(X), [V9.S4]
	EXPSUM_ONE(V9, $0x4e20d4a5)
	SUB    $4, N
	B      exp4

expdone:
	WORD  $0x4e26d4a5 // FADD  V5.4S, V5.4S, V6.4S
	WORD  $0x4e30d4e7 // FADD  V7.4S, V7.4S, V16.4S
	WORD  $0x4e27d4a5 // FADD  V5.4S, V5.4S, V7.4S
	WORD  $0x6e25d4a5 // FADDP V5.4S, V5.4S, V5.4S
	WORD  $0x6e25d4a5 // FADDP V5.4S, V5.4S, V5.4S (lane 0 = sum)
	FMOVS F5, ret+56(FP)
	RET

// func softmaxScaleNEON(x []float32, a float32)
TEXT ·softmaxScaleNEON(SB), NOSPLIT, $0-28
	MOVD  x_base+0(FP), X
	MOVD  x_len+8(FP), N
	AND   $~3, N
	FMOVS a+24(FP), F4
	VDUP  V4.S[0], V4.S4
	MOVD  X, DST

scale4:
	CBZ    N, scaledone
	VLD1.P 16(X), [V0.S4]
	WORD   $0x6e24dc00 // FMUL V0.4S, V0.4S, V4.4S
	VST1.P [V0.S4], 16(DST)
	SUB    $4, N
	B      scale4

scaledone:
	RET
