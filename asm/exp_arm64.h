// The NEON vectorised exponential (#include "exp_arm64.h"), the same
// algorithm as EXP_AVX2 in exp_amd64.h: clamp to [-104, 89] (FMIN/FMAX
// propagate NaN), n = round(x·log₂e), r = x - n·ln2hi - n·ln2lo,
// e^r = 1 + r·(1 + r·P(r)) (Cephes expf), times 2^h·2^(n-h), h = n>>1.
//
// Go's arm64 assembler names VFMLA/VFMLS but no vector FMUL, FMIN, FMAX,
// FRINTN, FCVTZS or SSHR, so those are WORD encodings with the
// instruction in the comment. Their register numbers are fixed, hence the
// fixed register map:
//   V0        x in, e^x out
//   V1        n (float, then int32), later 2^(n-h)
//   V2, V3    polynomial (alternating Horner), h, 2^h
//   V19       int32 127        V20 89         V21 -104
//   V22       log₂e            V23 ln2hi      V24 ln2lo
//   V25..V30  P0..P5           V31 1.0
// EXP_NEON_CONSTS loads V19..V31 (clobbers R4).

#define EXP_NEON_CONSTS \
	MOVW $0x0000007f, R4 ; VDUP R4, V19.S4 ; \
	MOVW $0x42b20000, R4 ; VDUP R4, V20.S4 ; \
	MOVW $0xc2d00000, R4 ; VDUP R4, V21.S4 ; \
	MOVW $0x3fb8aa3b, R4 ; VDUP R4, V22.S4 ; \
	MOVW $0x3f318000, R4 ; VDUP R4, V23.S4 ; \
	MOVW $0xb95e8083, R4 ; VDUP R4, V24.S4 ; \
	MOVW $0x39506967, R4 ; VDUP R4, V25.S4 ; \
	MOVW $0x3ab743ce, R4 ; VDUP R4, V26.S4 ; \
	MOVW $0x3c088908, R4 ; VDUP R4, V27.S4 ; \
	MOVW $0x3d2aa9c1, R4 ; VDUP R4, V28.S4 ; \
	MOVW $0x3e2aaaaa, R4 ; VDUP R4, V29.S4 ; \
	MOVW $0x3f000000, R4 ; VDUP R4, V30.S4 ; \
	MOVW $0x3f800000, R4 ; VDUP R4, V31.S4

// Step by step:
//   WORD $0x4eb4f400   FMIN   V0.4S, V0.4S, V20.4S   x = min(x, 89)
//   WORD $0x4e35f400   FMAX   V0.4S, V0.4S, V21.4S   x = max(x, -104)
//   WORD $0x6e36dc01   FMUL   V1.4S, V0.4S, V22.4S   x·log₂e
//   WORD $0x4e218821   FRINTN V1.4S, V1.4S           n (nearest even)
//   VFMLS V1, V23, V0; VFMLS V1, V24, V0             r = x - n·ln2hi - n·ln2lo
//   VMOV/VFMLA pairs                                 Horner, ending in V3 = e^r
//   WORD $0x4ea1b821   FCVTZS V1.4S, V1.4S           n as int32
//   WORD $0x4f3f0422   SSHR   V2.4S, V1.4S, #1       h = n>>1
//   VSUB V2, V1, V1; VADD V19, ...; VSHL $23, ...    2^h in V2, 2^(n-h) in V1
//   WORD $0x6e22dc63   FMUL   V3.4S, V3.4S, V2.4S    e^r·2^h (exact)
//   WORD $0x6e21dc60   FMUL   V0.4S, V3.4S, V1.4S    e^x, one rounding
#define EXP_NEON \
	WORD  $0x4eb4f400 ; \
	WORD  $0x4e35f400 ; \
	WORD  $0x6e36dc01 ; \
	WORD  $0x4e218821 ; \
	VFMLS V1.S4, V23.S4, V0.S4 ; \
	VFMLS V1.S4, V24.S4, V0.S4 ; \
	VMOV  V25.B16, V2.B16 ; \
	VMOV  V26.B16, V3.B16 ; \
	VFMLA V2.S4, V0.S4, V3.S4 ; \
	VMOV  V27.B16, V2.B16 ; \
	VFMLA V3.S4, V0.S4, V2.S4 ; \
	VMOV  V28.B16, V3.B16 ; \
	VFMLA V2.S4, V0.S4, V3.S4 ; \
	VMOV  V29.B16, V2.B16 ; \
	VFMLA V3.S4, V0.S4, V2.S4 ; \
	VMOV  V30.B16, V3.B16 ; \
	VFMLA V2.S4, V0.S4, V3.S4 ; \
	VMOV  V31.B16, V2.B16 ; \
	VFMLA V3.S4, V0.S4, V2.S4 ; \
	VMOV  V31.B16, V3.B16 ; \
	VFMLA V2.S4, V0.S4, V3.S4 ; \
	WORD  $0x4ea1b821 ; \
	WORD  $0x4f3f0422 ; \
	VSUB  V2.S4, V1.S4, V1.S4 ; \
	VADD  V19.S4, V2.S4, V2.S4 ; \
	VSHL  $23, V2.S4, V2.S4 ; \
	VADD  V19.S4, V1.S4, V1.S4 ; \
	VSHL  $23, V1.S4, V1.S4 ; \
	WORD  $0x6e22dc63 ; \
	WORD  $0x6e21dc60
