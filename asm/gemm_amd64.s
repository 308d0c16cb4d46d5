//go:build !purego

#include "textflag.h"

// func sgemmKernel6x16AVX2(kc int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
//
// One 6×16 tile of C from kc steps of panels (see gemmKernel): a is kc
// steps of 6 floats (a column of the packed A micro-panel), b is kc rows of
// 16 floats ldb apart (a packed B micro-panel with ldb = 16, or B itself). The 6×16 sums live in twelve
// ymm registers for the whole loop; each step loads one B row (two ymm),
// broadcasts the six A values one by one and issues twelve FMAs, so the
// loop is bound by the two FMA pipes, not by loads. The loop is unrolled
// four times. At the end C = alpha·acc + beta·C, row by row (beta == 0:
// C is only written, so NaNs in it do not survive).
//
// Register map:
//	Y0  Y1     row 0 of the tile (columns 0-7, 8-15)
//	Y2  Y3     row 1
//	...
//	Y10 Y11    row 5
//	Y12 Y13    the current B row; alpha, beta at the end
//	Y14 Y15    broadcast A values
//	SI  A panel pointer      DI  B panel pointer
//	CX  steps left           DX  C row pointer    R8  ldc in bytes
//	R10 ldb in bytes

#define APTR SI
#define BPTR DI
#define STEPS CX
#define CPTR DX
#define LDC R8

// ROW(ao, acc0, acc1, bc): broadcast A value at ao(APTR) and accumulate
// it times the B row into one row of the tile.
#define ROW(ao, acc0, acc1, bc) \
	VBROADCASTSS ao(APTR), bc; \
	VFMADD231PS  Y12, bc, acc0; \
	VFMADD231PS  Y13, bc, acc1

// STEP(ao): one k step; A at ao(APTR) (6 floats), B at (BPTR) (16 floats),
// then BPTR moves to the next B row.
#define STEP(ao) \
	VMOVUPS (BPTR), Y12; \
	VMOVUPS 32(BPTR), Y13; \
	ADDQ    R10, BPTR; \
	ROW(ao, Y0, Y1, Y14); \
	ROW(ao+4, Y2, Y3, Y15); \
	ROW(ao+8, Y4, Y5, Y14); \
	ROW(ao+12, Y6, Y7, Y15); \
	ROW(ao+16, Y8, Y9, Y14); \
	ROW(ao+20, Y10, Y11, Y15)

// STEPPF(ao): STEP, and prefetch the B row eight rows ahead. Used when B
// is read in place (ldb ≠ 16): its rows are then a row stride apart, the
// hardware prefetcher does not follow them, and the kernel stalls on them
// (128×768×768: 72 → 83 GFLOP/s). A packed panel is contiguous and its
// rows arrive anyway; the extra load costs ~1.5% there, so it is skipped.
// Also skipped when the rows are a multiple of 2 KiB apart (n = 512,
// 1024, …): all of them then share one or two L1 sets, the prefetched
// lines evict the ones still in use, and it cost ~10% (252×256×512).
#define STEPPF(ao) \
	PREFETCHT0 (BPTR)(R10*8); \
	STEP(ao)

// STORE(acc0, acc1): C row = alpha·acc (+ beta·C row), next row.
#define STOREBETA(acc0, acc1) \
	VMULPS      Y12, acc0, acc0; \
	VMULPS      Y12, acc1, acc1; \
	VFMADD231PS (CPTR), Y13, acc0; \
	VFMADD231PS 32(CPTR), Y13, acc1; \
	VMOVUPS     acc0, (CPTR); \
	VMOVUPS     acc1, 32(CPTR); \
	ADDQ        LDC, CPTR

#define STORE(acc0, acc1) \
	VMULPS  Y12, acc0, acc0; \
	VMULPS  Y12, acc1, acc1; \
	VMOVUPS acc0, (CPTR); \
	VMOVUPS acc1, 32(CPTR); \
	ADDQ    LDC, CPTR

TEXT ·sgemmKernel6x16AVX2(SB), NOSPLIT, $0-104
	MOVQ kc+0(FP), STEPS
	MOVQ a_base+8(FP), APTR
	MOVQ b_base+32(FP), BPTR
	MOVQ ldb+56(FP), R10
	SHLQ $2, R10
	MOVQ c_base+64(FP), CPTR
	MOVQ ldc+88(FP), LDC
	SHLQ $2, LDC

	// Fetch the C tile now so its lines arrive while the loop runs.
	MOVQ       CPTR, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       LDC, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       LDC, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       LDC, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       LDC, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       LDC, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	CMPQ STEPS, $4
	JLT  tail
	CMPQ  R10, $64 // a packed panel: ldb = 16 floats
	JEQ   loop4
	TESTQ $2047, R10 // B rows a multiple of 2 KiB apart: no prefetch
	JNZ   loop4pf

loop4:
	STEP(0)
	STEP(24)
	STEP(48)
	STEP(72)
	ADDQ $96, APTR
	SUBQ $4, STEPS
	CMPQ STEPS, $4
	JGE  loop4
	JMP  tail

loop4pf:
	STEPPF(0)
	STEPPF(24)
	STEPPF(48)
	STEPPF(72)
	ADDQ $96, APTR
	SUBQ $4, STEPS
	CMPQ STEPS, $4
	JGE  loop4pf

tail:
	TESTQ STEPS, STEPS
	JZ    store

tail1:
	STEP(0)
	ADDQ $24, APTR
	DECQ STEPS
	JNZ  tail1

store:
	VBROADCASTSS alpha+96(FP), Y12
	MOVL         beta+100(FP), AX
	ANDL         $0x7fffffff, AX // beta == ±0: do not read C
	JZ           storezero
	VBROADCASTSS beta+100(FP), Y13
	STOREBETA(Y0, Y1)
	STOREBETA(Y2, Y3)
	STOREBETA(Y4, Y5)
	STOREBETA(Y6, Y7)
	STOREBETA(Y8, Y9)
	STOREBETA(Y10, Y11)
	VZEROUPPER
	RET

storezero:
	STORE(Y0, Y1)
	STORE(Y2, Y3)
	STORE(Y4, Y5)
	STORE(Y6, Y7)
	STORE(Y8, Y9)
	STORE(Y10, Y11)
	VZEROUPPER
	RET
