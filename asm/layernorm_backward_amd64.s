//go:build !purego

#include "textflag.h"
#include "vec_amd64.h"

// The two backward passes of a layernorm row, with x̂ = (x-mu)·rs and
// g = dy·gamma (layernorm_amd64.go drives them over bounded chunks):
//   lnBwdSumsAVX2: returns Σg and Σg·x̂; dgamma += dy·x̂; dbeta += dy
//   lnBwdDxAVX2:   dx += rs·(g - gMean - x̂·gxMean)
// Both take 8 elements per iteration, then a masked tail. In the tail the
// unused lanes load dy = 0, so they add exactly 0 to the sums.

#define DY   SI  // &dy[i]
#define X    DI  // &x[i]
#define G    R8  // &gamma[i]
#define DG   R9  // &dgamma[i]
#define DB   R10 // &dbeta[i]
#define DX   R11 // &dx[i]
#define N    CX  // elements left
#define MU   Y8
#define RS   Y9
#define GM   Y10 // gMean
#define GXM  Y11 // gxMean
#define GACC Y6  // Σ g
#define XACC Y7  // Σ g·x̂
#define MASK Y15

// func lnBwdSumsAVX2(dy, x, gamma, dgamma, dbeta []float32, mu, rs float32) (gSum, gxSum float32)
TEXT ·lnBwdSumsAVX2(SB), NOSPLIT, $0-136
	MOVQ         dy_base+0(FP), DY
	MOVQ         dy_len+8(FP), N
	MOVQ         x_base+24(FP), X
	MOVQ         gamma_base+48(FP), G
	MOVQ         dgamma_base+72(FP), DG
	MOVQ         dbeta_base+96(FP), DB
	VBROADCASTSS mu+120(FP), MU
	VBROADCASTSS rs+124(FP), RS
	VXORPS       GACC, GACC, GACC
	VXORPS       XACC, XACC, XACC

s8:
	CMPQ        N, $8
	JL          stail
	VMOVUPS     (DY), Y0
	VMOVUPS     (X), Y1
	VSUBPS      MU, Y1, Y1
	VMULPS      RS, Y1, Y1    // x̂
	VMULPS      (G), Y0, Y2   // g = dy·gamma
	VADDPS      Y2, GACC, GACC
	VFMADD231PS Y2, Y1, XACC  // Σ g·x̂
	VMOVUPS     (DG), Y3
	VFMADD231PS Y0, Y1, Y3    // dgamma += dy·x̂
	VMOVUPS     Y3, (DG)
	VADDPS      (DB), Y0, Y4  // dbeta += dy
	VMOVUPS     Y4, (DB)
	ADDQ        $32, DY
	ADDQ        $32, X
	ADDQ        $32, G
	ADDQ        $32, DG
	ADDQ        $32, DB
	SUBQ        $8, N
	JMP         s8

stail:
	TESTQ       N, N
	JZ          sdone
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS  (DY), MASK, Y0
	VMASKMOVPS  (X), MASK, Y1
	VMASKMOVPS  (G), MASK, Y5
	VSUBPS      MU, Y1, Y1
	VMULPS      RS, Y1, Y1
	VANDPS      MASK, Y1, Y1  // unused lanes: x̂ = 0
	VMULPS      Y5, Y0, Y2
	VADDPS      Y2, GACC, GACC
	VFMADD231PS Y2, Y1, XACC
	VMASKMOVPS  (DG), MASK, Y3
	VFMADD231PS Y0, Y1, Y3
	VMASKMOVPS  Y3, MASK, (DG)
	VMASKMOVPS  (DB), MASK, Y4
	VADDPS      Y0, Y4, Y4
	VMASKMOVPS  Y4, MASK, (DB)

sdone:
	VEXTRACTF128 $1, GACC, X1
	VADDPS       X1, X6, X6
	VHADDPS      X6, X6, X6
	VHADDPS      X6, X6, X6
	VEXTRACTF128 $1, XACC, X1
	VADDPS       X1, X7, X7
	VHADDPS      X7, X7, X7
	VHADDPS      X7, X7, X7
	VZEROUPPER
	VMOVSS       X6, gSum+128(FP)
	VMOVSS       X7, gxSum+132(FP)
	RET

// func lnBwdDxAVX2(dx, dy, x, gamma []float32, mu, rs, gMean, gxMean float32)
TEXT ·lnBwdDxAVX2(SB), NOSPLIT, $0-112
	MOVQ         dx_base+0(FP), DX
	MOVQ         dx_len+8(FP), N
	MOVQ         dy_base+24(FP), DY
	MOVQ         x_base+48(FP), X
	MOVQ         gamma_base+72(FP), G
	VBROADCASTSS mu+96(FP), MU
	VBROADCASTSS rs+100(FP), RS
	VBROADCASTSS gMean+104(FP), GM
	VBROADCASTSS gxMean+108(FP), GXM

d8:
	CMPQ         N, $8
	JL           dtail
	VMOVUPS      (X), Y1
	VSUBPS       MU, Y1, Y1
	VMULPS       RS, Y1, Y1    // x̂
	VMOVUPS      (DY), Y0
	VMULPS       (G), Y0, Y0   // g
	VSUBPS       GM, Y0, Y0    // g - gMean
	VFNMADD231PS GXM, Y1, Y0   // - x̂·gxMean
	VMOVUPS      (DX), Y2
	VFMADD231PS  RS, Y0, Y2    // dx += rs·(...)
	VMOVUPS      Y2, (DX)
	ADDQ         $32, DX
	ADDQ         $32, DY
	ADDQ         $32, X
	ADDQ         $32, G
	SUBQ         $8, N
	JMP          d8

dtail:
	TESTQ        N, N
	JZ           ddone
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS   (X), MASK, Y1
	VMASKMOVPS   (DY), MASK, Y0
	VMASKMOVPS   (G), MASK, Y5
	VSUBPS       MU, Y1, Y1
	VMULPS       RS, Y1, Y1
	VMULPS       Y5, Y0, Y0
	VSUBPS       GM, Y0, Y0
	VFNMADD231PS GXM, Y1, Y0
	VMASKMOVPS   (DX), MASK, Y2
	VFMADD231PS  RS, Y0, Y2
	VMASKMOVPS   Y2, MASK, (DX)

ddone:
	VZEROUPPER
	RET
