//go:build !purego

#include "textflag.h"

// func dotNEON(x, y []float32) float32
//
// Algorithm: four 4-lane accumulators take 16 products per iteration with
// VFMLA (fused multiply-add), then 4 at a time into the first; the
// accumulators are added and reduced pairwise (FADD/FADDP, which Go's
// assembler does not name: WORD encodings below); the last < 4 elements
// are added with scalar FMADDS.

#define X  R0 // &x[i]
#define Y  R1 // &y[i]
#define N  R2 // elements left

TEXT ·dotNEON(SB), NOSPLIT, $0-52
	MOVD x_base+0(FP), X
	MOVD x_len+8(FP), N
	MOVD y_base+24(FP), Y
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16

loop16:
	CMP    $16, N
	BLT    loop4
	VLD1.P 64(X), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(Y), [V8.S4, V9.S4, V10.S4, V11.S4]
	VFMLA  V4.S4, V8.S4, V0.S4 // acc0 += x[i:i+4]·y[i:i+4]
	VFMLA  V5.S4, V9.S4, V1.S4
	VFMLA  V6.S4, V10.S4, V2.S4
	VFMLA  V7.S4, V11.S4, V3.S4
	SUB    $16, N
	B      loop16

loop4:
	CMP    $4, N
	BLT    reduce
	VLD1.P 16(X), [V4.S4]
	VLD1.P 16(Y), [V8.S4]
	VFMLA  V4.S4, V8.S4, V0.S4
	SUB    $4, N
	B      loop4

reduce:
	WORD $0x4e21d400 // FADD  V0.4S, V0.4S, V1.4S
	WORD $0x4e23d442 // FADD  V2.4S, V2.4S, V3.4S
	WORD $0x4e22d400 // FADD  V0.4S, V0.4S, V2.4S
	WORD $0x6e20d400 // FADDP V0.4S, V0.4S, V0.4S  (a0+a1, a2+a3, ...)
	WORD $0x6e20d400 // FADDP V0.4S, V0.4S, V0.4S  (lane 0 = total = F0)

tail:
	CBZ     N, done
	FMOVS.P 4(X), F4
	FMOVS.P 4(Y), F5
	FMADDS  F4, F0, F5, F0 // s += x[i]·y[i]
	SUB     $1, N
	B       tail

done:
	FMOVS F0, ret+48(FP)
	RET
