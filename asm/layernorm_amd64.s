//go:build !purego

#include "textflag.h"
#include "vec_amd64.h"

// The forward passes of a layernorm row (layernorm_amd64.go drives them
// over chunks of at most vecChunk elements):
//   lnSumAVX2:   Σ x[i]
//   lnSqDevAVX2: Σ (x[i]-mu)²           (two-pass variance, no cancellation)
//   lnApplyAVX2: dst[i] = (x[i]-mu)·rs·gamma[i] + beta[i]   (one FMA)
// Each loop takes 16 or 8 elements, then a masked tail whose unused lanes
// are zeroed before they reach a sum.

#define X    SI  // &x[i]
#define DST  DI  // &dst[i]
#define G    R8  // &gamma[i]
#define B    R9  // &beta[i]
#define N    CX  // elements left
#define MU   Y8  // mu in every lane
#define RS   Y9  // rs in every lane
#define ACC0 Y6
#define ACC1 Y7
#define MASK Y15

// REDUCE_ACC adds ACC1 into ACC0 and leaves the horizontal sum in X6.
#define REDUCE_ACC \
	VADDPS       ACC1, ACC0, ACC0 ; \
	VEXTRACTF128 $1, ACC0, X1     ; \
	VADDPS       X1, X6, X6       ; \
	VHADDPS      X6, X6, X6       ; \
	VHADDPS      X6, X6, X6

// func lnSumAVX2(x []float32) float32
TEXT ·lnSumAVX2(SB), NOSPLIT, $0-28
	MOVQ   x_base+0(FP), X
	MOVQ   x_len+8(FP), N
	VXORPS ACC0, ACC0, ACC0
	VXORPS ACC1, ACC1, ACC1

sum16:
	CMPQ   N, $16
	JL     sum8
	VADDPS 0(X), ACC0, ACC0
	VADDPS 32(X), ACC1, ACC1
	ADDQ   $64, X
	SUBQ   $16, N
	JMP    sum16

sum8:
	CMPQ   N, $8
	JL     sumtail
	VADDPS (X), ACC0, ACC0
	ADDQ   $32, X
	SUBQ   $8, N

sumtail:
	TESTQ      N, N
	JZ         sumdone
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS (X), MASK, Y0 // unused lanes read 0
	VADDPS     Y0, ACC1, ACC1

sumdone:
	REDUCE_ACC
	VZEROUPPER
	VMOVSS X6, ret+24(FP)
	RET

// func lnSqDevAVX2(x []float32, mu float32) float32
TEXT ·lnSqDevAVX2(SB), NOSPLIT, $0-36
	MOVQ         x_base+0(FP), X
	MOVQ         x_len+8(FP), N
	VBROADCASTSS mu+24(FP), MU
	VXORPS       ACC0, ACC0, ACC0
	VXORPS       ACC1, ACC1, ACC1

sq16:
	CMPQ        N, $16
	JL          sq8
	VMOVUPS     0(X), Y0
	VMOVUPS     32(X), Y1
	VSUBPS      MU, Y0, Y0       // d = x - mu
	VSUBPS      MU, Y1, Y1
	VFMADD231PS Y0, Y0, ACC0     // acc += d·d
	VFMADD231PS Y1, Y1, ACC1
	ADDQ        $64, X
	SUBQ        $16, N
	JMP         sq16

sq8:
	CMPQ        N, $8
	JL          sqtail
	VMOVUPS     (X), Y0
	VSUBPS      MU, Y0, Y0
	VFMADD231PS Y0, Y0, ACC0
	ADDQ        $32, X
	SUBQ        $8, N

sqtail:
	TESTQ       N, N
	JZ          sqdone
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS  (X), MASK, Y0
	VSUBPS      MU, Y0, Y0
	VANDPS      MASK, Y0, Y0     // unused lanes: d = 0
	VFMADD231PS Y0, Y0, ACC1

sqdone:
	REDUCE_ACC
	VZEROUPPER
	VMOVSS X6, ret+32(FP)
	RET

// func lnApplyAVX2(dst, x, gamma, beta []float32, mu, rs float32)
TEXT ·lnApplyAVX2(SB), NOSPLIT, $0-104
	MOVQ         dst_base+0(FP), DST
	MOVQ         dst_len+8(FP), N
	MOVQ         x_base+24(FP), X
	MOVQ         gamma_base+48(FP), G
	MOVQ         beta_base+72(FP), B
	VBROADCASTSS mu+96(FP), MU
	VBROADCASTSS rs+100(FP), RS

ap8:
	CMPQ        N, $8
	JL          aptail
	VMOVUPS     (X), Y0
	VSUBPS      MU, Y0, Y0  // x - mu
	VMULPS      RS, Y0, Y0  // x̂ = (x-mu)·rs
	VMOVUPS     (B), Y1
	VFMADD231PS (G), Y0, Y1 // beta + x̂·gamma
	VMOVUPS     Y1, (DST)
	ADDQ        $32, X
	ADDQ        $32, G
	ADDQ        $32, B
	ADDQ        $32, DST
	SUBQ        $8, N
	JMP         ap8

aptail:
	TESTQ       N, N
	JZ          apdone
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS  (X), MASK, Y0
	VMASKMOVPS  (G), MASK, Y2
	VMASKMOVPS  (B), MASK, Y1
	VSUBPS      MU, Y0, Y0
	VMULPS      RS, Y0, Y0
	VFMADD231PS Y2, Y0, Y1
	VMASKMOVPS  Y1, MASK, (DST)

apdone:
	VZEROUPPER
	RET
