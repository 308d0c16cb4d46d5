package ops

import (
	"fmt"
	"slices"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// Broadcasting follows NumPy: shapes align on the right and a dimension of
// 1 (or a missing one) repeats. Nothing is materialised: an operand is
// read through strides that are 0 on its broadcast dimensions, and every
// binary op's backward reduces the upstream gradient back to the operand's
// shape with the one helper sumToShape.

// broadcastShape returns the common shape of the operands or panics naming
// op and the shapes.
func broadcastShape(op string, shapes ...[]int) []int {
	out := slices.Clone(shapes[0])
	for _, s := range shapes[1:] {
		var err error
		out, err = tensor.BroadcastShapes(out, s)
		if err != nil {
			panic(fmt.Sprintf("ops.%s: shapes %v do not broadcast", op, shapes))
		}
	}
	return out
}

// bcastStrides gives, for an operand of shape in read as shape out, its
// row-major element strides indexed by out's dimensions (0 where it
// repeats).
func bcastStrides(in, out []int) []int {
	st := make([]int, len(out))
	s := 1
	for i := len(in) - 1; i >= 0; i-- {
		j := len(out) - len(in) + i
		if in[i] != 1 {
			st[j] = s
		}
		s *= in[i]
	}
	return st
}

// walk calls fn(i, ia, ib, ic) for every element i (row-major) of shape
// out, with the positions of the matching elements of up to three
// broadcast operands whose strides (from bcastStrides) are sa, sb, sc; a
// nil stride list stands for an absent operand (position 0).
func walk(out []int, sa, sb, sc []int, fn func(i, ia, ib, ic int)) {
	n := numel(out)
	if n == 0 {
		return
	}
	r := len(out)
	zero := make([]int, r)
	if sa == nil {
		sa = zero
	}
	if sb == nil {
		sb = zero
	}
	if sc == nil {
		sc = zero
	}
	idx := make([]int, r)
	ia, ib, ic := 0, 0, 0
	for i := 0; i < n; i++ {
		fn(i, ia, ib, ic)
		for k := r - 1; k >= 0; k-- {
			idx[k]++
			ia += sa[k]
			ib += sb[k]
			ic += sc[k]
			if idx[k] < out[k] {
				break
			}
			ia -= idx[k] * sa[k]
			ib -= idx[k] * sb[k]
			ic -= idx[k] * sc[k]
			idx[k] = 0
		}
	}
}

// sumToShape accumulates alpha·src (shape srcShape) into dst (shape
// dstShape, which broadcasts to srcShape), summing over the dimensions dst
// repeats: the backward of every broadcasting op.
func sumToShape[F Float](dst []F, dstShape []int, src []F, srcShape []int, alpha F) {
	if slices.Equal(dstShape, srcShape) {
		forRows(len(src), 1, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				dst[i] += alpha * src[i]
			}
		})
		return
	}
	if n := len(dst); n > 0 && isSuffix(dstShape, srcShape) { // whole rows (or a scalar): column sums
		rows := len(src) / n
		forRows(n, rows, func(lo, hi int) {
			for j := lo; j < hi; j++ {
				var s F
				for r := 0; r < rows; r++ {
					s += src[r*n+j]
				}
				dst[j] += alpha * s
			}
		})
		return
	}
	r := len(srcShape)
	if r == 0 {
		dst[0] += alpha * src[0]
		return
	}
	n, outer := srcShape[r-1], srcShape[:r-1]
	st := bcastStrides(dstShape, srcShape)
	rows := numel(outer)
	if st[r-1] == 0 { // dst repeats along the last dim: add whole row sums
		for q := 0; q < rows; q++ {
			var s F
			for _, v := range src[q*n : (q+1)*n] {
				s += v
			}
			dst[rowOffset(q, outer, st)] += alpha * s
		}
		return
	}
	// Workers own column ranges of every dst row, so no two write the same
	// element and each sum runs in row order.
	forRows(n, rows, func(lo, hi int) {
		for q := 0; q < rows; q++ {
			d, s := dst[rowOffset(q, outer, st)+lo:], src[q*n+lo:q*n+hi]
			for j, v := range s {
				d[j] += alpha * v
			}
		}
	})
}
