//go:build !purego

#include "textflag.h"
#include "exp_arm64.h"

// func tanhNEON(dst, x []float32)
//
// tanh on NEON, four lanes per iteration over len(dst)&^3 elements
// (tanh_arm64.go does the rest); the algorithm of tanh_amd64.s (Cephes
// tanhf): with a = |x|, a + a·z·P(z) (z = a²) where a < 0.625, else
// 1 - 2/(e^(2a)+1); then the sign of x is put back with a bit select.
//
// Fixed register map (WORD encodings bake register numbers in):
//   V16 x     V17 a     V0 exp branch (EXP_NEON also uses V1-V3, V19-V31)
//   V4 z      V13, V14 Horner over thPoly<> (R6)     V15 polynomial branch
//   V9 lane mask a < 0.625, then the unsigned result   V10 result
//   V11 2.0   V12 sign-bit mask   V18 0.625

DATA thPoly<>+0(SB)/4, $0xbbbaf0ea  // -5.70498872745e-3
DATA thPoly<>+4(SB)/4, $0x3ca9134e  // 2.06390887954e-2
DATA thPoly<>+8(SB)/4, $0xbd5c1e2d  // -5.37397155531e-2
DATA thPoly<>+12(SB)/4, $0x3e088393 // 1.33314422036e-1
DATA thPoly<>+16(SB)/4, $0xbeaaaa99 // -3.33332819422e-1
GLOBL thPoly<>(SB), RODATA|NOPTR, $20

#define DST R0 // &dst[i]
#define X   R1 // &x[i]
#define N   R2 // elements left, a multiple of 4

TEXT ·tanhNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD dst_len+8(FP), N
	MOVD x_base+24(FP), X
	AND  $~3, N
	EXP_NEON_CONSTS
	MOVW $0x40000000, R4
	VDUP R4, V11.S4
	MOVW $0x80000000, R4
	VDUP R4, V12.S4
	MOVW $0x3f200000, R4
	VDUP R4, V18.S4

loop4:
	CBZ     N, done
	VLD1.P  16(X), [V16.S4]
	WORD    $0x4ea0fa11           // FABS  V17.4S, V16.4S        a = |x|
	WORD    $0x4e31d620           // FADD  V0.4S, V17.4S, V17.4S  2a
	EXP_NEON                      // V0 = e^(2a)
	WORD    $0x4e3fd400           // FADD  V0.4S, V0.4S, V31.4S   e + 1
	WORD    $0x6e20fd60           // FDIV  V0.4S, V11.4S, V0.4S   2/(e+1)
	WORD    $0x4ea0d7e0           // FSUB  V0.4S, V31.4S, V0.4S   1 - 2/(e+1)
	WORD    $0x6e31de24           // FMUL  V4.4S, V17.4S, V17.4S  z = a²
	MOVD    $thPoly<>(SB), R6
	VLD1R.P 4(R6), [V13.S4]       // P0
	VLD1R.P 4(R6), [V14.S4]
	VFMLA   V13.S4, V4.S4, V14.S4 // P1 + P0·z
	VLD1R.P 4(R6), [V13.S4]
	VFMLA   V14.S4, V4.S4, V13.S4
	VLD1R.P 4(R6), [V14.S4]
	VFMLA   V13.S4, V4.S4, V14.S4
	VLD1R.P 4(R6), [V13.S4]
	VFMLA   V14.S4, V4.S4, V13.S4 // V13 = P(z)
	WORD    $0x6e24ddad           // FMUL  V13.4S, V13.4S, V4.4S  z·P
	VMOV    V17.B16, V15.B16
	VFMLA   V17.S4, V13.S4, V15.S4 // a + a·zP
	WORD    $0x6eb1e649           // FCMGT V9.4S, V18.4S, V17.4S  a < 0.625
	VBSL    V0.B16, V15.B16, V9.B16  // V9 = a < 0.625 ? poly : exp branch
	VMOV    V12.B16, V10.B16
	VBSL    V9.B16, V16.B16, V10.B16 // sign of x, magnitude of V9
	VST1.P  [V10.S4], 16(DST)
	SUB     $4, N
	B       loop4

done:
	RET
