package ops

import (
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("add", "a + b with broadcasting")
	autograd.Register("sub", "a - b with broadcasting")
	autograd.Register("mul", "a · b (element-wise) with broadcasting")
	autograd.Register("scale", "s · x for a constant s")
}

// binaryFwd writes y = f(a, b) with a, b broadcast to yShape.
func binaryFwd[F Float](y, a, b []F, yShape, aShape, bShape []int, f func(a, b F) F) {
	if slices.Equal(aShape, yShape) && slices.Equal(bShape, yShape) {
		forRows(len(y), 1, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				y[i] = f(a[i], b[i])
			}
		})
		return
	}
	walk(yShape, bcastStrides(aShape, yShape), bcastStrides(bShape, yShape), nil, func(i, ia, ib, _ int) {
		y[i] = f(a[ia], b[ib])
	})
}

// mulBwd accumulates into ga the gradient of y = a·b: sumToShape(gy·b).
// tmp is scratch of y's size.
func mulBwd[F Float](ga, gy, b, tmp []F, aShape, bShape, yShape []int) {
	binaryFwd(tmp, gy, b, yShape, yShape, bShape, func(g, b F) F { return g * b })
	sumToShape(ga, aShape, tmp, yShape, 1)
}

func addF[F Float](a, b F) F { return a + b }
func subF[F Float](a, b F) F { return a - b }
func mulF[F Float](a, b F) F { return a * b }

// Add returns a + b; shapes broadcast (NumPy rules).
func Add(tp *autograd.Tape, a, b *autograd.Var) *autograd.Var {
	return addSub(tp, "add", a, b, 1)
}

// Sub returns a - b; shapes broadcast.
func Sub(tp *autograd.Tape, a, b *autograd.Var) *autograd.Var {
	return addSub(tp, "sub", a, b, -1)
}

func addSub(tp *autograd.Tape, op string, a, b *autograd.Var, sign float32) *autograd.Var {
	yShape := broadcastShape(op, a.Shape(), b.Shape())
	y := tp.Empty(yShape...)
	f := addF[float32]
	if sign < 0 {
		f = subF[float32]
	}
	binaryFwd(y.Data(), a.Data(), b.Data(), yShape, a.Shape(), b.Shape(), f)
	return tp.Op(op, y, func(out *autograd.Var) {
		gy := out.Grad.Data()
		// d(a±b)/da = 1, d(a±b)/db = ±1
		if ga := tp.Grad(a); ga != nil {
			sumToShape(ga, a.Shape(), gy, yShape, 1)
		}
		if gb := tp.Grad(b); gb != nil {
			sumToShape(gb, b.Shape(), gy, yShape, sign)
		}
	}, a, b)
}

// Mul returns the element-wise product a·b; shapes broadcast.
func Mul(tp *autograd.Tape, a, b *autograd.Var) *autograd.Var {
	yShape := broadcastShape("mul", a.Shape(), b.Shape())
	y := tp.Empty(yShape...)
	binaryFwd(y.Data(), a.Data(), b.Data(), yShape, a.Shape(), b.Shape(), mulF[float32])
	return tp.Op("mul", y, func(out *autograd.Var) {
		gy := out.Grad.Data()
		// d(a·b)/da = b, d(a·b)/db = a
		if ga := tp.Grad(a); ga != nil {
			mulBwd(ga, gy, b.Data(), tp.Empty(yShape...).Data(), a.Shape(), b.Shape(), yShape)
		}
		if gb := tp.Grad(b); gb != nil {
			mulBwd(gb, gy, a.Data(), tp.Empty(yShape...).Data(), b.Shape(), a.Shape(), yShape)
		}
	}, a, b)
}

// scaleFwd writes y = s·x; its backward is gx += s·gy, the same loop.
func scaleFwd[F Float](y, x []F, s F, accumulate bool) {
	forRows(len(y), 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if accumulate {
				y[i] += s * x[i]
			} else {
				y[i] = s * x[i]
			}
		}
	})
}

// Scale returns s·x for a constant s.
func Scale(tp *autograd.Tape, x *autograd.Var, s float32) *autograd.Var {
	y := tp.Empty(x.Shape()...)
	scaleFwd(y.Data(), x.Data(), s, false)
	return tp.Op("scale", y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			scaleFwd(gx, out.Grad.Data(), s, true) // d(s·x)/dx = s
		}
	}, x)
}
