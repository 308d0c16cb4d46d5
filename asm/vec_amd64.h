// Shared pieces of the AVX2 vector kernels (#include "vec_amd64.h").
//
// TAIL_MASK(N, TMPX, TMPY, MASK): MASK gets all-ones in lanes i < N (0 ≤ N < 8),
// for VMASKMOVPS loads and stores of the last partial vector. Masked-off
// lanes load as 0 and are never written. TMPX/TMPY (the xmm and ymm names
// of one register, e.g. X15, Y15) are clobbered; MASK[i] = N > i.

// vecIota<> = int32 0, 1, ..., 7
DATA vecIota<>+0(SB)/4, $0
DATA vecIota<>+4(SB)/4, $1
DATA vecIota<>+8(SB)/4, $2
DATA vecIota<>+12(SB)/4, $3
DATA vecIota<>+16(SB)/4, $4
DATA vecIota<>+20(SB)/4, $5
DATA vecIota<>+24(SB)/4, $6
DATA vecIota<>+28(SB)/4, $7
GLOBL vecIota<>(SB), RODATA|NOPTR, $32

#define TAIL_MASK(N, TMPX, TMPY, MASK) \
	MOVQ         N, TMPX    ; \
	VPBROADCASTD TMPX, TMPY ; \
	VPCMPGTD     vecIota<>(SB), TMPY, MASK

// VCONST(name, bits) defines name<> as bits replicated in eight lanes.
#define VCONST(name, bits) \
	DATA name<>+0(SB)/4, $bits  ; \
	DATA name<>+4(SB)/4, $bits  ; \
	DATA name<>+8(SB)/4, $bits  ; \
	DATA name<>+12(SB)/4, $bits ; \
	DATA name<>+16(SB)/4, $bits ; \
	DATA name<>+20(SB)/4, $bits ; \
	DATA name<>+24(SB)/4, $bits ; \
	DATA name<>+28(SB)/4, $bits ; \
	GLOBL name<>(SB), RODATA|NOPTR, $32
