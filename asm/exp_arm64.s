//go:build !purego

#include "textflag.h"
#include "exp_arm64.h"

// func expNEON(dst, x []float32)
//
// dst[i] = e^x[i] for i < len(dst)&^3, four lanes per iteration with the
// EXP_NEON macro (exp_arm64.h); the caller does the last len(dst)%4.

#define DST R0 // &dst[i]
#define X   R1 // &x[i]
#define N   R2 // elements left, a multiple of 4

TEXT ·expNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD dst_len+8(FP), N
	MOVD x_base+24(FP), X
	AND  $~3, N
	EXP_NEON_CONSTS

loop4:
	CBZ    N, done
	VLD1.P 16(X), [V0.S4]
	EXP_NEON
	VST1.P [V0.S4], 16(DST)
	SUB    $4, N
	B      loop4

done:
	RET
