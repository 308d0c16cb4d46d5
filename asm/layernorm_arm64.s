//go:build !purego

#include "textflag.h"

// The layernorm passes on NEON (forward and backward), four lanes at a
// time over the first len&^3 elements of a chunk; layernorm_arm64.go does
// the remaining 0-3 elements and the chunking. Same passes as the AVX2
// files: lnSum, lnSqDev (two-pass variance), lnApply; lnBwdSums, lnBwdDx.
// Vector FADD/FSUB/FMUL/FADDP are WORD encodings (Go's assembler names
// only VFMLA/VFMLS), so registers are fixed:
//   V0-V3   loaded data           V4 mu    V5 rs    V6 gMean   V7 gxMean
//   V8-V11  accumulators          V12, V13 temporaries

#define P0 R0 // first slice pointer
#define P1 R1
#define P2 R2
#define P3 R3
#define P4 R5
#define N  R4 // elements left, a multiple of 4

// REDUCE8 leaves the sum of V8..V11 in F8.
#define REDUCE8 \
	WORD $0x4e29d508 ; \
	WORD $0x4e2bd54a ; \
	WORD $0x4e2ad508 ; \
	WORD $0x6e28d508 ; \
	WORD $0x6e28d508

#define ZERO8 \
	VEOR V8.B16, V8.B16, V8.B16 ; \
	VEOR V9.B16, V9.B16, V9.B16 ; \
	VEOR V10.B16, V10.B16, V10.B16 ; \
	VEOR V11.B16, V11.B16, V11.B16

// func lnSumNEON(x []float32) float32
TEXT ·lnSumNEON(SB), NOSPLIT, $0-28
	MOVD x_base+0(FP), P0
	MOVD x_len+8(FP), N
	AND  $~3, N
	ZERO8

sum16:
	CMP    $16, N
	BLT    sum4
	VLD1.P 64(P0), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD   $0x4e20d508 // FADD V8.4S, V8.4S, V0.4S
	WORD   $0x4e21d529 // FADD V9.4S, V9.4S, V1.4S
	WORD   $0x4e22d54a // FADD V10.4S, V10.4S, V2.4S
	WORD   $0x4e23d56b // FADD V11.4S, V11.4S, V3.4S
	SUB    $16, N
	B      sum16

sum4:
	CBZ    N, sumdone
	VLD1.P 16(P0), [V0.S4]
	WORD   $0x4e20d508 // FADD V8.4S, V8.4S, V0.4S
	SUB    $4, N
	B      sum4

sumdone:
	REDUCE8            // V8 += V9, V10 += V11, V8 += V10, FADDP ×2
	FMOVS F8, ret+24(FP)
	RET

// func lnSqDevNEON(x []float32, mu float32) float32
TEXT ·lnSqDevNEON(SB), NOSPLIT, $0-36
	MOVD  x_base+0(FP), P0
	MOVD  x_len+8(FP), N
	AND   $~3, N
	FMOVS mu+24(FP), F4
	VDUP  V4.S[0], V4.S4
	ZERO8

sq16:
	CMP    $16, N
	BLT    sq4
	VLD1.P 64(P0), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD   $0x4ea4d400 // FSUB V0.4S, V0.4S, V4.4S  (d = x - mu)
	WORD   $0x4ea4d421 // FSUB V1.4S, V1.4S, V4.4S
	WORD   $0x4ea4d442 // FSUB V2.4S, V2.4S, V4.4S
	WORD   $0x4ea4d463 // FSUB V3.4S, V3.4S, V4.4S
	VFMLA  V0.S4, V0.S4, V8.S4 // acc += d·d
	VFMLA  V1.S4, V1.S4, V9.S4
	VFMLA  V2.S4, V2.S4, V10.S4
	VFMLA  V3.S4, V3.S4, V11.S4
	SUB    $16, N
	B      sq16

sq4:
	CBZ    N, sqdone
	VLD1.P 16(P0), [V0.S4]
	WORD   $0x4ea4d400 // FSUB V0.4S, V0.4S, V4.4S
	VFMLA  V0.S4, V0.S4, V8.S4
	SUB    $4, N
	B      sq4

sqdone:
	REDUCE8
	FMOVS F8, ret+32(FP)
	RET

// func lnApplyNEON(dst, x, gamma, beta []float32, mu, rs float32)
TEXT ·lnApplyNEON(SB), NOSPLIT, $0-104
	MOVD  dst_base+0(FP), P0
	MOVD  dst_len+8(FP), N
	MOVD  x_base+24(FP), P1
	MOVD  gamma_base+48(FP), P2
	MOVD  beta_base+72(FP), P3
	AND   $~3, N
	FMOVS mu+96(FP), F4
	VDUP  V4.S[0], V4.S4
	FMOVS rs+100(FP), F5
	VDUP  V5.S[0], V5.S4

ap4:
	CBZ    N, apdone
	VLD1.P 16(P1), [V0.S4]
	VLD1.P 16(P2), [V1.S4]
	VLD1.P 16(P3), [V2.S4]
	WORD   $0x4ea4d400 // FSUB V0.4S, V0.4S, V4.4S  (x - mu)
	WORD   $0x6e25dc00 // FMUL V0.4S, V0.4S, V5.4S  (x̂)
	VFMLA  V0.S4, V1.S4, V2.S4 // beta + x̂·gamma
	VST1.P [V2.S4], 16(P0)
	SUB    $4, N
	B      ap4

apdone:
	RET

// func lnBwdSumsNEON(dy, x, gamma, dgamma, dbeta []float32, mu, rs float32) (gSum, gxSum float32)
TEXT ·lnBwdSumsNEON(SB), NOSPLIT, $0-136
	MOVD  dy_base+0(FP), P0
	MOVD  dy_len+8(FP), N
	MOVD  x_base+24(FP), P1
	MOVD  gamma_base+48(FP), P2
	MOVD  dgamma_base+72(FP), P3
	MOVD  dbeta_base+96(FP), P4
	AND   $~3, N
	FMOVS mu+120(FP), F4
	VDUP  V4.S[0], V4.S4
	FMOVS rs+124(FP), F5
	VDUP  V5.S[0], V5.S4
	VEOR  V8.B16, V8.B16, V8.B16
	VEOR  V9.B16, V9.B16, V9.B16

s4:
	CBZ    N, sdone
	VLD1.P 16(P0), [V0.S4] // dy
	VLD1.P 16(P1), [V1.S4] // x
	VLD1.P 16(P2), [V2.S4] // gamma
	VLD1   (P3), [V3.S4]   // dgamma
	VLD1   (P4), [V13.S4]  // dbeta
	WORD   $0x4ea4d421     // FSUB V1.4S, V1.4S, V4.4S
	WORD   $0x6e25dc21     // FMUL V1.4S, V1.4S, V5.4S  (x̂)
	WORD   $0x6e22dc0c     // FMUL V12.4S, V0.4S, V2.4S (g = dy·gamma)
	WORD   $0x4e2cd508     // FADD V8.4S, V8.4S, V12.4S (Σ g)
	VFMLA  V12.S4, V1.S4, V9.S4 // Σ g·x̂
	VFMLA  V0.S4, V1.S4, V3.S4  // dgamma += dy·x̂
	WORD   $0x4e20d5ad     // FADD V13.4S, V13.4S, V0.4S (dbeta += dy)
	VST1.P [V3.S4], 16(P3)
	VST1.P [V13.S4], 16(P4)
	SUB    $4, N
	B      s4

sdone:
	WORD  $0x6e28d508 // FADDP V8.4S, V8.4S, V8.4S
	WORD  $0x6e28d508
	WORD  $0x6e29d529 // FADDP V9.4S, V9.4S, V9.4S
	WORD  $0x6e29d529
	FMOVS F8, gSum+128(FP)
	FMOVS F9, gxSum+132(FP)
	RET

// func lnBwdDxNEON(dx, dy, x, gamma []float32, mu, rs, gMean, gxMean float32)
TEXT ·lnBwdDxNEON(SB), NOSPLIT, $0-112
	MOVD  dx_base+0(FP), P0
	MOVD  dx_len+8(FP), N
	MOVD  dy_base+24(FP), P1
	MOVD  x_base+48(FP), P2
	MOVD  gamma_base+72(FP), P3
	AND   $~3, N
	FMOVS mu+96(FP), F4
	VDUP  V4.S[0], V4.S4
	FMOVS rs+100(FP), F5
	VDUP  V5.S[0], V5.S4
	FMOVS gMean+104(FP), F6
	VDUP  V6.S[0], V6.S4
	FMOVS gxMean+108(FP), F7
	VDUP  V7.S[0], V7.S4

d4:
	CBZ    N, ddone
	VLD1.P 16(P1), [V0.S4] // dy
	VLD1.P 16(P2), [V1.S4] // x
	VLD1.P 16(P3), [V2.S4] // gamma
	VLD1   (P0), [V3.S4]   // dx
	WORD   $0x4ea4d421     // FSUB V1.4S, V1.4S, V4.4S
	WORD   $0x6e25dc21     // FMUL V1.4S, V1.4S, V5.4S  (x̂)
	WORD   $0x6e22dc00     // FMUL V0.4S, V0.4S, V2.4S  (g)
	WORD   $0x4ea6d400     // FSUB V0.4S, V0.4S, V6.4S  (g - gMean)
	VFMLS  V1.S4, V7.S4, V0.S4 // - x̂·gxMean
	VFMLA  V0.S4, V5.S4, V3.S4 // dx += rs·(...)
	VST1.P [V3.S4], 16(P0)
	SUB    $4, N
	B      d4

ddone:
	RET
