//go:build !purego

#include "textflag.h"

// func axpyNEON(alpha float32, x, y []float32)
//
// Algorithm: alpha is duplicated into the four lanes of V0; 16 elements
// per iteration are loaded from x and y, updated with y += alpha·x by VFMLA
// (one rounding) and stored back; then 4 at a time; then the last < 4 with
// scalar FMADDS.

#define X R0 // &x[i]
#define Y R1 // &y[i]
#define N R2 // elements left
#define W R3 // store pointer into y

TEXT ·axpyNEON(SB), NOSPLIT, $0-56
	FMOVS alpha+0(FP), F0
	VDUP  V0.S[0], V0.S4 // alpha in every lane
	MOVD  x_base+8(FP), X
	MOVD  x_len+16(FP), N
	MOVD  y_base+32(FP), Y
	MOVD  Y, W

loop16:
	CMP    $16, N
	BLT    loop4
	VLD1.P 64(X), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(Y), [V8.S4, V9.S4, V10.S4, V11.S4]
	VFMLA  V0.S4, V4.S4, V8.S4 // y += alpha·x
	VFMLA  V0.S4, V5.S4, V9.S4
	VFMLA  V0.S4, V6.S4, V10.S4
	VFMLA  V0.S4, V7.S4, V11.S4
	VST1.P [V8.S4, V9.S4, V10.S4, V11.S4], 64(W)
	SUB    $16, N
	B      loop16

loop4:
	CMP    $4, N
	BLT    tail
	VLD1.P 16(X), [V4.S4]
	VLD1.P 16(Y), [V8.S4]
	VFMLA  V0.S4, V4.S4, V8.S4
	VST1.P [V8.S4], 16(W)
	SUB    $4, N
	B      loop4

tail:
	CBZ     N, done
	FMOVS.P 4(X), F4
	FMOVS   (W), F5
	FMADDS  F4, F5, F0, F5 // y[i] += alpha·x[i]
	FMOVS.P F5, 4(W)
	SUB     $1, N
	B       tail

done:
	RET
