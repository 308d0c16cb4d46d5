package asm

import "math"

// ArgMinDist returns the first index c of the smallest squared distance
//
//	dist[c] = max((en[c] + xn) − 2·dots[c], 0)
//
// over c < len(dots), and that distance. It is the read-out half of the
// nearest-embedding search of DiffuSeq's rounding step (diffuseq.Rounder):
// dots[c] = x·E_c comes from a GEMM, en[c] = ‖E_c‖² and xn = ‖x‖², and the
// float32 operations are the reference's (torch computes
// (‖E‖² + ‖x‖²) − 2·E·x and clamps at 0), one rounding each, so every level
// returns the same index and the same distance bits (up to the sign of a
// zero). Fusing the distance with the arg-min keeps the V-wide distance row
// out of memory.
//
// NaN and +Inf distances never win; if no distance is below +Inf the
// result is (-1, +Inf). en must be at least as long as dots.
//
// Reference loop (argMinDistGeneric):
//
//	best, bi := +Inf, -1
//	for c, dot := range dots {
//		if d := max((en[c]+xn)-2*dot, 0); d < best {
//			bi, best = c, d
//		}
//	}
func ArgMinDist(dots, en []float32, xn float32) (int, float32) {
	sameLen("ArgMinDist", len(dots), en)
	return argMinDist(dots, en[:len(dots)], xn)
}

var argMinDist = argMinDistGeneric

// argMinLanes is the common driver of the vector levels. The leaf kernel
// scans a multiple of its lane count (4 or 8) and leaves, per lane, the
// lowest distance it saw and the first index where it saw it (-1 if
// none); the lanes are merged here, lowest distance first and lowest
// index among equals, then the < lanes-count tail is scanned in Go. Pieces
// of at most vecChunk keep the int32 lane indices in range; a later piece
// wins only with a strictly smaller distance, so the first index stays
// first.
func argMinLanes(leaf func(dots, en []float32, xn float32, vals *[8]float32, ids *[8]int32), lanes int, dots, en []float32, xn float32) (int, float32) {
	bi, best := -1, float32(math.Inf(1))
	for base := 0; base < len(dots); base += vecChunk {
		d, e := dots[base:min(base+vecChunk, len(dots))], en[base:min(base+vecChunk, len(dots))]
		nv := len(d) / lanes * lanes
		if nv > 0 {
			vals := [8]float32{}
			ids := [8]int32{-1, -1, -1, -1, -1, -1, -1, -1}
			leaf(d[:nv], e[:nv], xn, &vals, &ids)
			pi, pb := -1, float32(math.Inf(1))
			for l := range lanes {
				if ids[l] >= 0 && (vals[l] < pb || vals[l] == pb && int(ids[l]) < pi) {
					pi, pb = int(ids[l]), vals[l]
				}
			}
			if pi >= 0 && pb < best {
				bi, best = base+pi, pb
			}
		}
		if ti, tb := argMinDistGeneric(d[nv:], e[nv:], xn); ti >= 0 && tb < best {
			bi, best = base+nv+ti, tb
		}
	}
	return bi, best
}
