//go:build !purego

#include "textflag.h"
#include "vec_amd64.h"
#include "exp_amd64.h"

// func tanhAVX2(dst, x []float32)
//
// Algorithm (Cephes tanhf, both branches computed, then blended per lane):
//   |x| < 0.625: tanh x = x + x·z·P(z), z = x², P of degree 4;
//   otherwise:   tanh x = sign(x)·(1 - 2/(e^(2|x|) + 1)) with EXP_AVX2
//                (e^(2|x|) overflows to +Inf for |x| > 44, giving ±1).
// NaN fails the |x| < 0.625 test and propagates through the exp branch.
// 8 lanes per iteration, then a masked tail.

VCONST(thAbs, 0x7fffffff)   // |x| mask
VCONST(thSign, 0x80000000)  // sign bit
VCONST(thSmall, 0x3f200000) // 0.625
VCONST(thTwo, 0x40000000)   // 2.0
VCONST(thP0, 0xbbbaf0ea)    // -5.70498872745e-3
VCONST(thP1, 0x3ca9134e)    // 2.06390887954e-2
VCONST(thP2, 0xbd5c1e2d)    // -5.37397155531e-2
VCONST(thP3, 0x3e088393)    // 1.33314422036e-1
VCONST(thP4, 0xbeaaaa99)    // -3.33332819422e-1

// TANH_AVX2: Y2 = tanh(Y0); Y1, Y3, Y4, Y5 clobbered. Both branches work
// on a = |x| and the sign of x is put back at the end (so tanh(-0) = -0).
//   Y1 = a; Y2 = 2a → e^(2a) → 1 - 2/(e+1)
//   Y3 = z = a²; Y4 = P(z) → z·P → a + a·zP
//   Y5 = a < 0.625; Y2 = Y5 ? Y4 : Y2; Y2 |= sign(x)
#define TANH_AVX2 \
	VANDPS      thAbs<>(SB), Y0, Y1 ; \
	VADDPS      Y1, Y1, Y2 ; \
	EXP_AVX2(Y2, Y3, Y4) ; \
	VADDPS      expOne<>(SB), Y2, Y2 ; \
	VMOVUPS     thTwo<>(SB), Y3 ; \
	VDIVPS      Y2, Y3, Y2 ; \
	VMOVUPS     expOne<>(SB), Y3 ; \
	VSUBPS      Y2, Y3, Y2 ; \
	VMULPS      Y1, Y1, Y3 ; \
	VMOVUPS     thP0<>(SB), Y4 ; \
	VFMADD213PS thP1<>(SB), Y3, Y4 ; \
	VFMADD213PS thP2<>(SB), Y3, Y4 ; \
	VFMADD213PS thP3<>(SB), Y3, Y4 ; \
	VFMADD213PS thP4<>(SB), Y3, Y4 ; \
	VMULPS      Y3, Y4, Y4 ; \
	VFMADD213PS Y1, Y1, Y4 ; \
	VCMPPS      $1, thSmall<>(SB), Y1, Y5 ; \
	VBLENDVPS   Y5, Y4, Y2, Y2 ; \
	VANDPS      thSign<>(SB), Y0, Y3 ; \
	VORPS       Y3, Y2, Y2

#define DST  DI // &dst[i]
#define X    SI // &x[i]
#define N    CX // elements left
#define MASK Y15

TEXT ·tanhAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DST
	MOVQ dst_len+8(FP), N
	MOVQ x_base+24(FP), X

loop8:
	CMPQ    N, $8
	JL      tail
	VMOVUPS (X), Y0
	TANH_AVX2
	VMOVUPS Y2, (DST)
	ADDQ    $32, X
	ADDQ    $32, DST
	SUBQ    $8, N
	JMP     loop8

tail:
	TESTQ      N, N
	JZ         done
	TAIL_MASK(N, X14, Y14, MASK)
	VMASKMOVPS (X), MASK, Y0
	TANH_AVX2
	VMASKMOVPS Y2, MASK, (DST)

done:
	VZEROUPPER
	RET
