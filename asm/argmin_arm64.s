//go:build !purego

#include "textflag.h"

// The arg-min of ArgMinDist, 4 lanes per iteration; the same scheme as
// argmin_amd64.s. Vector FADD/FSUB/FMAX/FCMGT are WORD encodings (Go's
// assembler does not name them), so the registers are fixed:
//   V0 xn, V1 lowest distance per lane (+Inf), V2 its index (-1),
//   V3 indices of the current 4, V4 = 4, V5 = 0, V6 en → distance,
//   V7 dot → 2·dot, V8 the d < best mask.
// FMAX returns NaN if either input is NaN, and FCMGT is false for NaN, so
// a NaN distance never wins.

DATA amInit<>+0(SB)/4, $0x7f800000
DATA amInit<>+4(SB)/4, $0x7f800000
DATA amInit<>+8(SB)/4, $0x7f800000
DATA amInit<>+12(SB)/4, $0x7f800000
DATA amInit<>+16(SB)/4, $0xffffffff
DATA amInit<>+20(SB)/4, $0xffffffff
DATA amInit<>+24(SB)/4, $0xffffffff
DATA amInit<>+28(SB)/4, $0xffffffff
DATA amInit<>+32(SB)/4, $0
DATA amInit<>+36(SB)/4, $1
DATA amInit<>+40(SB)/4, $2
DATA amInit<>+44(SB)/4, $3
DATA amInit<>+48(SB)/4, $4
DATA amInit<>+52(SB)/4, $4
DATA amInit<>+56(SB)/4, $4
DATA amInit<>+60(SB)/4, $4
GLOBL amInit<>(SB), RODATA|NOPTR, $64

// func argMinDistNEON(dots, en []float32, xn float32, vals *[8]float32, ids *[8]int32)
TEXT ·argMinDistNEON(SB), NOSPLIT, $0-72
	MOVD  dots_base+0(FP), R0
	MOVD  dots_len+8(FP), R2
	MOVD  en_base+24(FP), R1
	FMOVS xn+48(FP), F0
	VDUP  V0.S[0], V0.S4
	MOVD  vals+56(FP), R3
	MOVD  ids+64(FP), R4
	MOVD  $amInit<>(SB), R5
	VLD1  (R5), [V1.S4, V2.S4, V3.S4, V4.S4]
	VEOR  V5.B16, V5.B16, V5.B16

loop:
	CMP    $4, R2
	BLT    done
	VLD1.P 16(R0), [V7.S4]
	VLD1.P 16(R1), [V6.S4]
	WORD   $0x4e20d4c6 // FADD  V6.4S, V6.4S, V0.4S  (en + xn)
	WORD   $0x4e27d4e7 // FADD  V7.4S, V7.4S, V7.4S  (2·dot)
	WORD   $0x4ea7d4c6 // FSUB  V6.4S, V6.4S, V7.4S
	WORD   $0x4e25f4c6 // FMAX  V6.4S, V6.4S, V5.4S  (clamp at 0, NaN kept)
	WORD   $0x6ea6e428 // FCMGT V8.4S, V1.4S, V6.4S  (best > d)
	VBIT   V8.B16, V6.B16, V1.B16
	VBIT   V8.B16, V3.B16, V2.B16
	VADD   V4.S4, V3.S4, V3.S4
	SUB    $4, R2
	B      loop

done:
	VST1 [V1.S4], (R3)
	VST1 [V2.S4], (R4)
	RET
