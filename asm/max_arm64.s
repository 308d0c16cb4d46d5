//go:build !purego

#include "textflag.h"

// Max over blocks of 16: four accumulators V0-V3 (from -Inf). A lane takes
// x only where x > m (FCMGT, false for NaN), by a bit insert, so NaNs are
// skipped; FMAXNM would also skip quiet NaNs but turns a signalling NaN
// into a NaN that the next element then replaces, losing the maximum.
// FCMGT is a WORD encoding (Go's assembler does not name it), so the
// registers are fixed: V4-V7 the loaded x, V8-V11 the masks.

// func maxNEON(x []float32, lanes *[32]float32)
TEXT ·maxNEON(SB), NOSPLIT, $0-32
	MOVD  x_base+0(FP), R0
	MOVD  x_len+8(FP), R1
	MOVD  lanes+24(FP), R2
	MOVW  $0xff800000, R3
	VDUP  R3, V0.S4
	VMOV  V0.B16, V1.B16
	VMOV  V0.B16, V2.B16
	VMOV  V0.B16, V3.B16

loop:
	CMP    $16, R1
	BLT    done
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD   $0x6ea0e488 // FCMGT V8.4S, V4.4S, V0.4S
	WORD   $0x6ea1e4a9 // FCMGT V9.4S, V5.4S, V1.4S
	WORD   $0x6ea2e4ca // FCMGT V10.4S, V6.4S, V2.4S
	WORD   $0x6ea3e4eb // FCMGT V11.4S, V7.4S, V3.4S
	VBIT   V8.B16, V4.B16, V0.B16
	VBIT   V9.B16, V5.B16, V1.B16
	VBIT   V10.B16, V6.B16, V2.B16
	VBIT   V11.B16, V7.B16, V3.B16
	SUB    $16, R1
	B      loop

done:
	VST1 [V0.S4, V1.S4, V2.S4, V3.S4], (R2)
	RET
