package ops

import (
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func init() {
	autograd.Register("add", "a + b with broadcasting")
	autograd.Register("sub", "a - b with broadcasting")
	autograd.Register("mul", "a · b (element-wise) with broadcasting")
	autograd.Register("scale", "s · x for a constant s")
}

// binOp names the element-wise arithmetic of Add, Sub and Mul. A code
// rather than a func value keeps the inner loops inlined.
type binOp int

const (
	opAdd binOp = iota
	opSub
	opMul
)

// applyOp computes a op b in F.
func applyOp[F Float](op binOp, a, b F) F {
	switch op {
	case opAdd:
		return a + b
	case opSub:
		return a - b
	}
	return a * b
}

// binaryRow writes y[j] = a[j] op b[j] for j < len(y).
func binaryRow[F Float](op binOp, y, a, b []F) {
	a = a[:len(y)]
	b = b[:len(y)]
	switch op {
	case opAdd:
		for j := range y {
			y[j] = a[j] + b[j]
		}
	case opSub:
		for j := range y {
			y[j] = a[j] - b[j]
		}
	default:
		for j := range y {
			y[j] = a[j] * b[j]
		}
	}
}

// isSuffix reports whether s, without leading 1s, equals the trailing
// dimensions of y: then s repeats over y's leading dims as whole rows (a
// bias, a position table).
func isSuffix(s, y []int) bool {
	for len(s) > 0 && s[0] == 1 {
		s = s[1:]
	}
	return len(s) <= len(y) && slices.Equal(s, y[len(y)-len(s):])
}

// binaryFwd writes y = a op b with a, b broadcast to yShape. The common
// cases (equal shapes; one operand repeating as whole rows) run as flat
// parallel loops, the rest through the generic strided walk.
func binaryFwd[F Float](y, a, b []F, yShape, aShape, bShape []int, op binOp) {
	aFull, bFull := slices.Equal(aShape, yShape), slices.Equal(bShape, yShape)
	switch {
	case aFull && bFull:
		forRows(len(y), 1, func(lo, hi int) { binaryRow(op, y[lo:hi], a[lo:hi], b[lo:hi]) })
	case aFull && isSuffix(bShape, yShape) && len(b) > 0:
		n := len(b)
		forRows(len(y)/n, n, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				binaryRow(op, y[r*n:(r+1)*n], a[r*n:(r+1)*n], b)
			}
		})
	case bFull && isSuffix(aShape, yShape) && len(a) > 0 && op != opSub:
		binaryFwd(y, b, a, yShape, bShape, aShape, op) // + and · commute
	case len(yShape) > 0:
		// Row by row: each operand's row is either contiguous or one value
		// repeated (a size-1 last dim), found from the row index.
		r := len(yShape)
		n, outer := yShape[r-1], yShape[:r-1]
		sa, sb := bcastStrides(aShape, yShape), bcastStrides(bShape, yShape)
		forRows(numel(outer), n, func(lo, hi int) {
			for q := lo; q < hi; q++ {
				ia, ib := rowOffset(q, outer, sa), rowOffset(q, outer, sb)
				binaryRowStrided(op, y[q*n:(q+1)*n], a[ia:], b[ib:], sa[r-1], sb[r-1])
			}
		})
	default: // scalars
		y[0] = applyOp(op, a[0], b[0])
	}
}

// rowOffset returns where row q of a shape whose leading dims are outer
// starts in an operand read with strides st (indexed like outer, then the
// last dim).
func rowOffset(q int, outer, st []int) int {
	off := 0
	for k := len(outer) - 1; k >= 0; k-- {
		off += q % outer[k] * st[k]
		q /= outer[k]
	}
	return off
}

// binaryRowStrided writes y[j] = a[j·aStep] op b[j·bStep], each step 1
// (a contiguous row) or 0 (one value repeated).
func binaryRowStrided[F Float](op binOp, y, a, b []F, aStep, bStep int) {
	switch {
	case aStep == 1 && bStep == 1:
		binaryRow(op, y, a, b)
	case aStep == 1:
		s := b[0]
		a = a[:len(y)]
		for j := range y {
			y[j] = applyOp(op, a[j], s)
		}
	case bStep == 1:
		s := a[0]
		b = b[:len(y)]
		for j := range y {
			y[j] = applyOp(op, s, b[j])
		}
	default:
		v := applyOp(op, a[0], b[0])
		for j := range y {
			y[j] = v
		}
	}
}

// mulBwd accumulates into ga the gradient of y = a·b: sumToShape(gy·b).
// tmp is scratch of y's size.
func mulBwd[F Float](ga, gy, b, tmp []F, aShape, bShape, yShape []int) {
	binaryFwd(tmp, gy, b, yShape, yShape, bShape, opMul)
	sumToShape(ga, aShape, tmp, yShape, 1)
}

// Add returns a + b; shapes broadcast (NumPy rules).
func Add(tp *autograd.Tape, a, b *autograd.Var) *autograd.Var {
	return addSub(tp, "add", a, b, 1)
}

// Sub returns a - b; shapes broadcast.
func Sub(tp *autograd.Tape, a, b *autograd.Var) *autograd.Var {
	return addSub(tp, "sub", a, b, -1)
}

// AddInPlace is Add writing a + b over a's value when a has the result's
// shape and the tape allows it (autograd.Tape.Overwrite: a is a result
// nothing has read, such as a Dropout output; PyTorch's add_): the
// residual connections of an encoder layer. Same values and gradients as
// Add; a must not be used afterwards.
func AddInPlace(tp *autograd.Tape, a, b *autograd.Var) *autograd.Var {
	yShape := broadcastShape("add", a.Shape(), b.Shape())
	if a == b || !slices.Equal(yShape, a.Shape()) || !tp.Overwrite(a) {
		return Add(tp, a, b)
	}
	return addSubInto(tp, "add", a.Value, a, b, 1)
}

func addSub(tp *autograd.Tape, op string, a, b *autograd.Var, sign float32) *autograd.Var {
	return addSubInto(tp, op, tp.Empty(broadcastShape(op, a.Shape(), b.Shape())...), a, b, sign)
}

// addSubInto writes a ± b into y (a fresh buffer, or a's own when a is
// full-shaped: every element of a is read just before y's same element
// is written) and records the op, whose backward reads neither a, b nor y.
func addSubInto(tp *autograd.Tape, op string, y *tensor.Tensor, a, b *autograd.Var, sign float32) *autograd.Var {
	yShape := y.Shape()
	bop := opAdd
	if sign < 0 {
		bop = opSub
	}
	binaryFwd(y.Data(), a.Data(), b.Data(), yShape, a.Shape(), b.Shape(), bop)
	return tp.OpOutputUnread(op, y, func(out *autograd.Var) {
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
	binaryFwd(y.Data(), a.Data(), b.Data(), yShape, a.Shape(), b.Shape(), opMul)
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
