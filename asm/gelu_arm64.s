//go:build !purego

#include "textflag.h"
#include "exp_arm64.h"

// GELU and GELU' on NEON, four lanes per iteration over len&^3 elements
// (gelu_arm64.go does the rest). Same algorithm as gelu_amd64.s:
// e = ½·erfc(|x|/√2) from erfc(z) ≈ t·exp(-z² + P(t)), t = 1/(1+z/2)
// (Numerical Recipes erfcc), z² = x²/2 carried as hi + lo, exp(-z²+P)
// taken as exp(-hi)·exp(P-lo); Φ = sign(x) ? e : 1-e; φ = exp(-hi)·(1-lo)/√(2π).
//
// Fixed register map (WORD encodings bake register numbers in):
//   V16 x              V17 a = min(|x|, 28), then z = a/√2
//   V4  hi, then exp(-hi)           V5 lo
//   V18 t              V6, V7 Horner (P ends in V7), then exp(P-lo)
//   V8  e              V9 1-e      V10 Φ, then the result
//   V11 28   V12 1/√2   V13 1/√(2π)   V14, V15 backward scratch
//   V0-V3, V19-V31 EXP_NEON (V30 = 0.5 and V31 = 1.0 are reused)
//   R6 walks geluPoly<> (P's coefficients, highest first)

DATA geluPoly<>+0(SB)/4, $0x3e2ef945  // 0.17087277
DATA geluPoly<>+4(SB)/4, $0xbf527892  // -0.82215223
DATA geluPoly<>+8(SB)/4, $0x3fbe87b0  // 1.48851587
DATA geluPoly<>+12(SB)/4, $0xbf914e5d // -1.13520398
DATA geluPoly<>+16(SB)/4, $0x3e8ec7cc // 0.27886807
DATA geluPoly<>+20(SB)/4, $0xbe3ec24c // -0.18628806
DATA geluPoly<>+24(SB)/4, $0x3dc636c9 // 0.09678418
DATA geluPoly<>+28(SB)/4, $0x3ebf88fb // 0.37409196
DATA geluPoly<>+32(SB)/4, $0x3f8000c7 // 1.00002368
DATA geluPoly<>+36(SB)/4, $0xbfa1fc4e // -1.26551223
GLOBL geluPoly<>(SB), RODATA|NOPTR, $40

#define GELU_CONSTS \
	EXP_NEON_CONSTS ; \
	MOVW $0x41e00000, R4 ; VDUP R4, V11.S4 ; \
	MOVW $0x3f3504f3, R4 ; VDUP R4, V12.S4 ; \
	MOVW $0x3ecc422a, R4 ; VDUP R4, V13.S4

// HORNER_STEP(PREV, NEXT): NEXT = next coefficient + PREV·t
#define HORNER_STEP(PREV, NEXT) \
	VLD1R.P 4(R6), [NEXT.S4] ; \
	VFMLA   PREV.S4, V18.S4, NEXT.S4

// GELU_PHI_NEON: V10 = Φ(V16); keeps exp(-hi) in V4 and lo in V5.
//   FABS V17,V16; FMIN V17,V17,V11          a
//   FMUL V4,V17,V17; FNEG V5,V4; VFMLA      hi = a·a, lo = a·a - hi (exact)
//   FMUL V4,V4,V30; FMUL V5,V5,V30          halve both: z² = hi + lo
//   FMUL V17,V17,V12                        z = a/√2
//   V18 = 1 + z·½; FDIV V18,V31,V18         t
//   Horner over geluPoly<>; FSUB V7,V7,V5   P(t) - lo
//   EXP_NEON twice                          exp(P-lo) in V7, exp(-hi) in V4
//   FMUL V8 = V4·V7·V18·V30                 e = ½·t·exp(-hi)·exp(P-lo)
//   FSUB V9,V31,V8; SSHR V10,V16,#31; VBSL  Φ = x<0 ? e : 1-e
#define GELU_PHI_NEON \
	WORD  $0x4ea0fa11 ; \
	WORD  $0x4eabf631 ; \
	WORD  $0x6e31de24 ; \
	WORD  $0x6ea0f885 ; \
	VFMLA V17.S4, V17.S4, V5.S4 ; \
	WORD  $0x6e3edc84 ; \
	WORD  $0x6e3edca5 ; \
	WORD  $0x6e2cde31 ; \
	VMOV  V31.B16, V18.B16 ; \
	VFMLA V17.S4, V30.S4, V18.S4 ; \
	WORD  $0x6e32fff2 ; \
	MOVD  $geluPoly<>(SB), R6 ; \
	VLD1R.P 4(R6), [V6.S4] ; \
	HORNER_STEP(V6, V7) ; \
	HORNER_STEP(V7, V6) ; \
	HORNER_STEP(V6, V7) ; \
	HORNER_STEP(V7, V6) ; \
	HORNER_STEP(V6, V7) ; \
	HORNER_STEP(V7, V6) ; \
	HORNER_STEP(V6, V7) ; \
	HORNER_STEP(V7, V6) ; \
	HORNER_STEP(V6, V7) ; \
	WORD  $0x4ea5d4e7 ; \
	VMOV  V7.B16, V0.B16 ; \
	EXP_NEON ; \
	VMOV  V0.B16, V7.B16 ; \
	WORD  $0x6ea0f880 ; \
	EXP_NEON ; \
	VMOV  V0.B16, V4.B16 ; \
	WORD  $0x6e27dc88 ; \
	WORD  $0x6e32dd08 ; \
	WORD  $0x6e3edd08 ; \
	WORD  $0x4ea8d7e9 ; \
	WORD  $0x4f21060a ; \
	VBSL  V9.B16, V8.B16, V10.B16

#define DST R0 // &dst[i] or &dx[i]
#define X   R1 // &x[i]
#define DY  R2 // &dy[i]
#define N   R3 // elements left, a multiple of 4

// func geluNEON(dst, x []float32)
TEXT ·geluNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD dst_len+8(FP), N
	MOVD x_base+24(FP), X
	AND  $~3, N
	GELU_CONSTS

fwd4:
	CBZ    N, fwddone
	VLD1.P 16(X), [V16.S4]
	GELU_PHI_NEON
	WORD   $0x6e2ade0a // FMUL V10.4S, V16.4S, V10.4S  (x·Φ)
	VST1.P [V10.S4], 16(DST)
	SUB    $4, N
	B      fwd4

fwddone:
	RET

// func geluBwdNEON(dx, x, dy []float32)
TEXT ·geluBwdNEON(SB), NOSPLIT, $0-72
	MOVD dx_base+0(FP), DST
	MOVD dx_len+8(FP), N
	MOVD x_base+24(FP), X
	MOVD dy_base+48(FP), DY
	AND  $~3, N
	GELU_CONSTS

bwd4:
	CBZ    N, bwddone
	VLD1.P 16(X), [V16.S4]
	GELU_PHI_NEON
	WORD   $0x4ea5d7ee          // FSUB V14.4S, V31.4S, V5.4S  (1 - lo)
	WORD   $0x6e24ddce          // FMUL V14.4S, V14.4S, V4.4S  (·exp(-hi))
	WORD   $0x6e2dddce          // FMUL V14.4S, V14.4S, V13.4S (φ)
	VFMLA  V16.S4, V14.S4, V10.S4 // GELU' = Φ + x·φ
	VLD1.P 16(DY), [V14.S4]
	VLD1   (DST), [V15.S4]
	VFMLA  V14.S4, V10.S4, V15.S4 // dx += dy·GELU'
	VST1.P [V15.S4], 16(DST)
	SUB    $4, N
	B      bwd4

bwddone:
	RET
