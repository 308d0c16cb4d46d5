//go:build !purego

#include "textflag.h"

// func dotAVX2(x, y []float32) float32
//
// Algorithm: four ymm accumulators take 32 products per iteration with
// VFMADD231PS (independent chains hide the FMA latency); then 8 at a time
// into the first accumulator; then the accumulators are added together and
// reduced horizontally to one float; the last < 8 elements are added one by
// one with scalar FMAs.

#define X    SI // &x[i]
#define Y    DI // &y[i]
#define N    CX // elements left
#define ACC0 Y0
#define ACC1 Y1
#define ACC2 Y2
#define ACC3 Y3

TEXT ·dotAVX2(SB), NOSPLIT, $0-52
	MOVQ   x_base+0(FP), X
	MOVQ   x_len+8(FP), N
	MOVQ   y_base+24(FP), Y
	VXORPS ACC0, ACC0, ACC0
	VXORPS ACC1, ACC1, ACC1
	VXORPS ACC2, ACC2, ACC2
	VXORPS ACC3, ACC3, ACC3

loop32:
	CMPQ        N, $32
	JL          loop8
	VMOVUPS     0(X), Y4
	VMOVUPS     32(X), Y5
	VMOVUPS     64(X), Y6
	VMOVUPS     96(X), Y7
	VFMADD231PS 0(Y), Y4, ACC0  // acc0 += x[i:i+8]·y[i:i+8]
	VFMADD231PS 32(Y), Y5, ACC1
	VFMADD231PS 64(Y), Y6, ACC2
	VFMADD231PS 96(Y), Y7, ACC3
	ADDQ        $128, X
	ADDQ        $128, Y
	SUBQ        $32, N
	JMP         loop32

loop8:
	CMPQ        N, $8
	JL          reduce
	VMOVUPS     (X), Y4
	VFMADD231PS (Y), Y4, ACC0
	ADDQ        $32, X
	ADDQ        $32, Y
	SUBQ        $8, N
	JMP         loop8

reduce:
	VADDPS       ACC1, ACC0, ACC0 // (acc0+acc1) + (acc2+acc3)
	VADDPS       ACC3, ACC2, ACC2
	VADDPS       ACC2, ACC0, ACC0
	VEXTRACTF128 $1, ACC0, X1     // high 128 bits
	VADDPS       X1, X0, X0       // 4 lanes
	VHADDPS      X0, X0, X0       // 2 lanes
	VHADDPS      X0, X0, X0       // lane 0 = total

tail:
	TESTQ       N, N
	JZ          done
	VMOVSS      (X), X4
	VFMADD231SS (Y), X4, X0 // s += x[i]·y[i]
	ADDQ        $4, X
	ADDQ        $4, Y
	DECQ        N
	JMP         tail

done:
	VZEROUPPER
	VMOVSS X0, ret+48(FP)
	RET
