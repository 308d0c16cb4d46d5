//go:build !purego

#include "textflag.h"
#include "vec_amd64.h"

// The arg-min of ArgMinDist, 8 lanes per iteration. Each lane keeps the
// lowest distance it has seen (Y1, from +Inf) and the index where it first
// saw it (Y2, from -1): a strict less-than compare (false for NaN) and two
// blends per iteration. The distance is formed with the reference's three
// roundings: (en + xn), then minus 2·dot (exact doubling), then the clamp.
// VMAXPS returns its second source when either is NaN, so max(0, d) keeps
// a NaN d, which then never compares less.

VCONST(amInf, 0x7f800000)
VCONST(amEight, 0x00000008)

// func argMinDistAVX2(dots, en []float32, xn float32, vals *[8]float32, ids *[8]int32)
TEXT ·argMinDistAVX2(SB), NOSPLIT, $0-72
	MOVQ         dots_base+0(FP), SI
	MOVQ         dots_len+8(FP), CX
	MOVQ         en_base+24(FP), DX
	VBROADCASTSS xn+48(FP), Y0       // xn
	MOVQ         vals+56(FP), DI
	MOVQ         ids+64(FP), R8
	VMOVUPS      amInf<>(SB), Y1     // lowest distance per lane
	VPCMPEQD     Y2, Y2, Y2          // its index: -1
	VMOVDQU      vecIota<>(SB), Y3   // indices of the current 8
	VMOVDQU      amEight<>(SB), Y4
	VXORPS       Y5, Y5, Y5          // 0

loop:
	CMPQ      CX, $8
	JL        done
	VMOVUPS   (DX), Y6
	VADDPS    Y0, Y6, Y6             // en + xn
	VMOVUPS   (SI), Y7
	VADDPS    Y7, Y7, Y7             // 2·dot
	VSUBPS    Y7, Y6, Y6             // (en + xn) − 2·dot
	VMAXPS    Y6, Y5, Y6             // max(0, d), NaN kept
	VCMPPS    $1, Y1, Y6, Y8         // d < best
	VBLENDVPS Y8, Y6, Y1, Y1
	VBLENDVPS Y8, Y3, Y2, Y2
	VPADDD    Y4, Y3, Y3
	ADDQ      $32, SI
	ADDQ      $32, DX
	SUBQ      $8, CX
	JMP       loop

done:
	VMOVUPS Y1, (DI)
	VMOVDQU Y2, (R8)
	VZEROUPPER
	RET
