//go:build !purego

#include "textflag.h"
#include "vec_amd64.h"
#include "exp_amd64.h"

// GELU (erf form) and its derivative, 8 lanes per iteration plus a masked
// tail, through Φ(x) = 1 - e for x ≥ 0 and e for x < 0, where
// e = ½·erfc(|x|/√2) = Φ(-|x|). erfc comes from the Chebyshev fit
// erfc(z) ≈ t·exp(-z² + P(t)), t = 1/(1+z/2), P of degree 9 (Numerical
// Recipes "erfcc", fractional error < 1.2e-7 for every z ≥ 0). Computing
// the small tail e directly keeps GELU relatively accurate far into x < 0,
// where 1+erf would cancel. z² = x²/2 is carried as hi + lo (an FMA gives
// the rounding error of x·x exactly), and exp(-z²+P) is taken as
// exp(-hi)·exp(P-lo) so that no large argument is rounded.
// φ(x) = exp(-x²/2)/√(2π) = exp(-hi)·(1-lo)/√(2π) reuses exp(-hi).

VCONST(gAbs, 0x7fffffff)       // |x| mask
VCONST(gSign, 0x80000000)      // sign bit
VCONST(gHalf, 0x3f000000)      // 0.5
VCONST(gClamp, 0x41e00000)     // 28: beyond it Φ is 0 or 1 in float32
VCONST(gInvSqrt2, 0x3f3504f3)  // 1/√2
VCONST(gInvSqrt2Pi, 0x3ecc422a) // 1/√(2π)
VCONST(gE0, 0xbfa1fc4e)        // -1.26551223
VCONST(gE1, 0x3f8000c7)        // 1.00002368
VCONST(gE2, 0x3ebf88fb)        // 0.37409196
VCONST(gE3, 0x3dc636c9)        // 0.09678418
VCONST(gE4, 0xbe3ec24c)        // -0.18628806
VCONST(gE5, 0x3e8ec7cc)        // 0.27886807
VCONST(gE6, 0xbf914e5d)        // -1.13520398
VCONST(gE7, 0x3fbe87b0)        // 1.48851587
VCONST(gE8, 0xbf527892)        // -0.82215223
VCONST(gE9, 0x3e2ef945)        // 0.17087277

// Register map of GELU_PHI (input x in Y0, kept):
//   Y1 a = min(|x|, 28), then z = a/√2
//   Y2 t = 1/(1+z/2)
//   Y3 hi = (a·a)/2, then exp(-hi)
//   Y4 lo = (a·a - fl(a·a))/2
//   Y5 P(t) - lo, then exp(P - lo)
//   Y6, Y7 EXP_AVX2 scratch
//   Y8 e = ½·t·exp(-hi)·exp(P-lo); Y9 = 1 - e
//   Y10 Φ(x) = sign(x) ? e : 1-e
#define GELU_PHI \
	VANDPS       gAbs<>(SB), Y0, Y1 ; \
	VMOVUPS      gClamp<>(SB), Y7 ; \
	VMINPS       Y1, Y7, Y1 ; \
	VMULPS       Y1, Y1, Y3 ; \
	VMOVAPS      Y3, Y4 ; \
	VFMSUB231PS  Y1, Y1, Y4 ; \
	VMULPS       gHalf<>(SB), Y3, Y3 ; \
	VMULPS       gHalf<>(SB), Y4, Y4 ; \
	VMULPS       gInvSqrt2<>(SB), Y1, Y1 ; \
	VMULPS       gHalf<>(SB), Y1, Y2 ; \
	VADDPS       expOne<>(SB), Y2, Y2 ; \
	VMOVUPS      expOne<>(SB), Y7 ; \
	VDIVPS       Y2, Y7, Y2 ; \
	VMOVUPS      gE9<>(SB), Y5 ; \
	VFMADD213PS  gE8<>(SB), Y2, Y5 ; \
	VFMADD213PS  gE7<>(SB), Y2, Y5 ; \
	VFMADD213PS  gE6<>(SB), Y2, Y5 ; \
	VFMADD213PS  gE5<>(SB), Y2, Y5 ; \
	VFMADD213PS  gE4<>(SB), Y2, Y5 ; \
	VFMADD213PS  gE3<>(SB), Y2, Y5 ; \
	VFMADD213PS  gE2<>(SB), Y2, Y5 ; \
	VFMADD213PS  gE1<>(SB), Y2, Y5 ; \
	VFMADD213PS  gE0<>(SB), Y2, Y5 ; \
	VSUBPS       Y4, Y5, Y5 ; \
	EXP_AVX2(Y5, Y6, Y7) ; \
	VXORPS       gSign<>(SB), Y3, Y3 ; \
	EXP_AVX2(Y3, Y6, Y7) ; \
	VMULPS       Y5, Y3, Y8 ; \
	VMULPS       Y2, Y8, Y8 ; \
	VMULPS       gHalf<>(SB), Y8, Y8 ; \
	VMOVUPS      expOne<>(SB), Y9 ; \
	VSUBPS       Y8, Y9, Y9 ; \
	VBLENDVPS    Y0, Y8, Y9, Y10

#define DST  DI  // &dst[i] or &dx[i]
#define X    SI  // &x[i]
#define DY   R8  // &dy[i]
#define N    CX  // elements left
#define MASK Y15

// func geluAVX2(dst, x []float32)
TEXT ·geluAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DST
	MOVQ dst_len+8(FP), N
	MOVQ x_base+24(FP), X

fwd8:
	CMPQ    N, $8
	JL      fwdtail
	VMOVUPS (X), Y0
	GELU_PHI
	VMULPS  Y10, Y0, Y10 // x·Φ(x)
	VMOVUPS Y10, (DST)
	ADDQ    $32, X
	ADDQ    $32, DST
	SUBQ    $8, N
	JMP     fwd8

fwdtail:
	TESTQ      N, N
	JZ         fwddone
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS (X), MASK, Y0
	GELU_PHI
	VMULPS     Y10, Y0, Y10
	VMASKMOVPS Y10, MASK, (DST)

fwddone:
	VZEROUPPER
	RET

// GELU_DX: from Φ (Y10), exp(-hi) (Y3) and lo (Y4), Y10 = Φ + x·φ with
// φ = exp(-hi)·(1-lo)/√(2π); then Y12 (dx) += dy (Y13)·Y10.
#define GELU_DX \
	VMOVUPS     expOne<>(SB), Y11 ; \
	VSUBPS      Y4, Y11, Y11 ; \
	VMULPS      Y3, Y11, Y11 ; \
	VMULPS      gInvSqrt2Pi<>(SB), Y11, Y11 ; \
	VFMADD231PS Y11, Y0, Y10 ; \
	VFMADD231PS Y13, Y10, Y12

// func geluBwdAVX2(dx, x, dy []float32)
TEXT ·geluBwdAVX2(SB), NOSPLIT, $0-72
	MOVQ dx_base+0(FP), DST
	MOVQ dx_len+8(FP), N
	MOVQ x_base+24(FP), X
	MOVQ dy_base+48(FP), DY

bwd8:
	CMPQ    N, $8
	JL      bwdtail
	VMOVUPS (X), Y0
	VMOVUPS (DY), Y13
	VMOVUPS (DST), Y12
	GELU_PHI
	GELU_DX
	VMOVUPS Y12, (DST)
	ADDQ    $32, X
	ADDQ    $32, DY
	ADDQ    $32, DST
	SUBQ    $8, N
	JMP     bwd8

bwdtail:
	TESTQ      N, N
	JZ         bwddone
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS (X), MASK, Y0
	VMASKMOVPS (DY), MASK, Y13
	VMASKMOVPS (DST), MASK, Y12
	GELU_PHI
	GELU_DX
	VMASKMOVPS Y12, MASK, (DST)

bwddone:
	VZEROUPPER
	RET
