//go:build !purego

#include "textflag.h"

// func sgemmKernel8x8NEON(kc int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
//
// One 8×8 tile of C from kc steps of panels (see gemmKernel): a is kc
// steps of 8 floats (packed), b is kc rows of 8 floats ldb apart (packed
// with ldb = 8, or B itself). The 8×8 sums live in
// sixteen q registers for the whole loop; each step loads one B row (two
// q registers), load-replicates each of the eight A values (LD1R) and
// issues sixteen FMLAs. Go's arm64 assembler has the vector VFMLA but no
// vector FMUL, so the final C = alpha·acc + beta·C is two FMLAs into a
// zeroed register (fma(acc, alpha, 0) rounds exactly like a multiply).
// beta == 0: C is only written, so NaNs in it do not survive.
//
// Register map:
//	V0  V1     row 0 of the tile (columns 0-3, 4-7)
//	...
//	V14 V15    row 7
//	V16 V17    the current B row
//	V18-V25    A values, one per row, replicated
//	V26 V27    result row     V28 V29   C row     V30 alpha   V31 beta
//	R0 steps left   R1 A panel   R2 B panel   R3 C row   R4 ldc in bytes
//	R7 ldb in bytes

#define ROW(av, acc0, acc1) \
	VLD1R.P 4(R1), [av.S4]; \
	VFMLA   V16.S4, av.S4, acc0.S4; \
	VFMLA   V17.S4, av.S4, acc1.S4

// STOREBETA(acc0, acc1): C row = alpha·acc + beta·C row, next row.
#define STOREBETA(acc0, acc1) \
	VEOR  V26.B16, V26.B16, V26.B16; \
	VEOR  V27.B16, V27.B16, V27.B16; \
	VFMLA V30.S4, acc0.S4, V26.S4; \
	VFMLA V30.S4, acc1.S4, V27.S4; \
	VLD1  (R3), [V28.S4, V29.S4]; \
	VFMLA V31.S4, V28.S4, V26.S4; \
	VFMLA V31.S4, V29.S4, V27.S4; \
	VST1  [V26.S4, V27.S4], (R3); \
	ADD   R4, R3

// STORE(acc0, acc1): C row = alpha·acc, next row.
#define STORE(acc0, acc1) \
	VEOR  V26.B16, V26.B16, V26.B16; \
	VEOR  V27.B16, V27.B16, V27.B16; \
	VFMLA V30.S4, acc0.S4, V26.S4; \
	VFMLA V30.S4, acc1.S4, V27.S4; \
	VST1  [V26.S4, V27.S4], (R3); \
	ADD   R4, R3

TEXT ·sgemmKernel8x8NEON(SB), NOSPLIT, $0-104
	MOVD kc+0(FP), R0
	MOVD a_base+8(FP), R1
	MOVD b_base+32(FP), R2
	MOVD ldb+56(FP), R7
	LSL  $2, R7
	MOVD c_base+64(FP), R3
	MOVD ldc+88(FP), R4
	LSL  $2, R4

	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16

loop:
	VLD1 (R2), [V16.S4, V17.S4]
	ADD  R7, R2
	ROW(V18, V0, V1)
	ROW(V19, V2, V3)
	ROW(V20, V4, V5)
	ROW(V21, V6, V7)
	ROW(V22, V8, V9)
	ROW(V23, V10, V11)
	ROW(V24, V12, V13)
	ROW(V25, V14, V15)
	SUBS $1, R0
	BNE  loop

	MOVD  $alpha+96(FP), R5
	VLD1R (R5), [V30.S4]
	MOVWU beta+100(FP), R6
	ANDW  $0x7fffffff, R6 // beta == ±0: do not read C
	CBZW  R6, storezero
	MOVD  $beta+100(FP), R5
	VLD1R (R5), [V31.S4]
	STOREBETA(V0, V1)
	STOREBETA(V2, V3)
	STOREBETA(V4, V5)
	STOREBETA(V6, V7)
	STOREBETA(V8, V9)
	STOREBETA(V10, V11)
	STOREBETA(V12, V13)
	STOREBETA(V14, V15)
	RET

storezero:
	STORE(V0, V1)
	STORE(V2, V3)
	STORE(V4, V5)
	STORE(V6, V7)
	STORE(V8, V9)
	STORE(V10, V11)
	STORE(V12, V13)
	STORE(V14, V15)
	RET
