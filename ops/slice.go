package ops

import (
	"fmt"
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("concat", "join along one axis")
	autograd.Register("slice", "x[..., lo:hi, ...] along one axis (materialised)")
}

// Slice and Concat view a shape around one axis as (outer, n, inner):
// a window along the axis is then outer contiguous blocks of n·inner.

// blocks views a shape around axis as (outer, n, inner).
func blocks(shape []int, axis int) (outer, n, inner int) {
	return numel(shape[:axis]), shape[axis], numel(shape[axis+1:])
}

// sliceFwd copies x[..., lo:lo+n, ...] (x has xn along the axis) into y,
// or with back set adds y into that window of x (the backward).
func sliceFwd[F Float](y, x []F, outer, xn, inner, lo, n int, back bool) {
	for o := 0; o < outer; o++ {
		xs := x[(o*xn+lo)*inner : (o*xn+lo+n)*inner]
		ys := y[o*n*inner : (o+1)*n*inner]
		if back {
			for i, v := range ys {
				xs[i] += v
			}
		} else {
			copy(ys, xs)
		}
	}
}

func checkAxis(op string, shape []int, axis int) int {
	if axis < 0 {
		axis += len(shape)
	}
	if axis < 0 || axis >= len(shape) {
		panic(fmt.Sprintf("ops.%s: axis out of range for shape %v", op, shape))
	}
	return axis
}

// Slice returns x[..., lo:hi, ...] along axis (negative counts from the
// end), copied.
func Slice(tp *autograd.Tape, x *autograd.Var, axis, lo, hi int) *autograd.Var {
	xS := x.Shape()
	axis = checkAxis("slice", xS, axis)
	if lo < 0 || hi < lo || hi > xS[axis] {
		panic(fmt.Sprintf("ops.slice: [%d:%d] on axis %d of %v", lo, hi, axis, xS))
	}
	outer, xn, inner := blocks(xS, axis)
	yS := slices.Clone(xS)
	yS[axis] = hi - lo
	y := tp.Empty(yS...)
	sliceFwd(y.Data(), x.Data(), outer, xn, inner, lo, hi-lo, false)
	return tp.Op("slice", y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			sliceFwd(out.Grad.Data(), gx, outer, xn, inner, lo, hi-lo, true)
		}
	}, x)
}

// Concat joins xs along axis; every other dimension must agree.
func Concat(tp *autograd.Tape, axis int, xs ...*autograd.Var) *autograd.Var {
	if len(xs) == 0 {
		panic("ops.concat: no operands")
	}
	s0 := xs[0].Shape()
	axis = checkAxis("concat", s0, axis)
	yS := slices.Clone(s0)
	yS[axis] = 0
	for _, x := range xs {
		s := x.Shape()
		if len(s) != len(s0) || !slices.Equal(s[:axis], s0[:axis]) || !slices.Equal(s[axis+1:], s0[axis+1:]) {
			shapes := make([][]int, len(xs))
			for i, x := range xs {
				shapes[i] = x.Shape()
			}
			panic(fmt.Sprintf("ops.concat: shapes %v differ off axis %d", shapes, axis))
		}
		yS[axis] += s[axis]
	}
	y := tp.Zeros(yS...)
	outer, yn, inner := blocks(yS, axis)
	lo := 0
	for _, x := range xs {
		n := x.Shape()[axis]
		sliceFwd(x.Data(), y.Data(), outer, yn, inner, lo, n, true) // y's window += x, on zeros: a copy
		lo += n
	}
	xs = slices.Clone(xs)
	return tp.Op("concat", y, func(out *autograd.Var) {
		lo := 0
		for _, x := range xs {
			n := x.Shape()[axis]
			if gx := tp.Grad(x); gx != nil {
				g := tp.Empty(x.Shape()...).Data()
				sliceFwd(g, out.Grad.Data(), outer, yn, inner, lo, n, false)
				scaleFwd(gx, g, 1, true)
			}
			lo += n
		}
	}, xs...)
}
