package ops

import (
	"slices"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// broadcastPair draws a random output shape and two operand shapes that
// broadcast to it: each operand drops some leading dims and sets others to
// 1, so both directions of broadcasting occur.
func broadcastPair(rng *tensor.RNG) (a, b, y []int) {
	rank := 1 + rng.Intn(3)
	y = make([]int, rank)
	for i := range y {
		y[i] = randDim(rng, 4)
	}
	operand := func() []int {
		s := append([]int(nil), y[rng.Intn(rank):]...)
		for i := range s {
			if rng.Intn(3) == 0 {
				s[i] = 1
			}
		}
		return s
	}
	a, b = operand(), operand()
	return a, b, broadcastShape("test", a, b)
}

// binaryCase builds the check of a broadcasting binary op from its float64
// forward and backward.
func binaryCase(rng *tensor.RNG, f binOp, back func(x [][]float64, gy []float64, gx [][]float64, aS, bS, yS []int),
	op func(tp *autograd.Tape, a, b *autograd.Var) *autograd.Var) gradCase {
	aS, bS, yS := broadcastPair(rng)
	return gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, aS...), randTensor(rng, bS...)},
		f64: func(x [][]float64) []float64 {
			y := make([]float64, numel(yS))
			binaryFwd(y, x[0], x[1], yS, aS, bS, f)
			return y
		},
		b64:  func(x [][]float64, gy []float64, gx [][]float64) { back(x, gy, gx, aS, bS, yS) },
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return op(tp, x[0], x[1]) },
	}
}

var _ = addCheck("add", func(t *testing.T, rng *tensor.RNG) {
	checkCase(t, rng, binaryCase(rng, opAdd, func(x [][]float64, gy []float64, gx [][]float64, aS, bS, yS []int) {
		sumToShape(gx[0], aS, gy, yS, 1)
		sumToShape(gx[1], bS, gy, yS, 1)
	}, Add))
})

var _ = addCheck("sub", func(t *testing.T, rng *tensor.RNG) {
	checkCase(t, rng, binaryCase(rng, opSub, func(x [][]float64, gy []float64, gx [][]float64, aS, bS, yS []int) {
		sumToShape(gx[0], aS, gy, yS, 1)
		sumToShape(gx[1], bS, gy, yS, -1)
	}, Sub))
})

var _ = addCheck("mul", func(t *testing.T, rng *tensor.RNG) {
	checkCase(t, rng, binaryCase(rng, opMul, func(x [][]float64, gy []float64, gx [][]float64, aS, bS, yS []int) {
		mulBwd(gx[0], gy, x[1], make([]float64, len(gy)), aS, bS, yS)
		mulBwd(gx[1], gy, x[0], make([]float64, len(gy)), bS, aS, yS)
	}, Mul))
})

var _ = addCheck("scale", func(t *testing.T, rng *tensor.RNG) {
	shape := []int{randDim(rng, 5), randDim(rng, 5)}
	const s = -1.75
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, shape...)},
		f64: func(x [][]float64) []float64 {
			y := make([]float64, len(x[0]))
			scaleFwd(y, x[0], s, false)
			return y
		},
		b64:  func(x [][]float64, gy []float64, gx [][]float64) { scaleFwd(gx[0], gy, s, true) },
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return Scale(tp, x[0], s) },
	})
})

// The same Var on both sides: gradients from the two uses add up.
func TestMulSelfAccumulates(t *testing.T) {
	tp := autograd.NewTape()
	x := autograd.NewParam("x", tensor.FromSlice([]float32{1, -2, 3}, 3))
	tp.BackwardFrom(Mul(tp, x, x), tensor.Full(1, 3))
	for i, want := range []float32{2, -4, 6} { // d x²/dx = 2x
		if got := x.Grad.Data()[i]; got != want {
			t.Fatalf("grad[%d] = %v, want %v", i, got, want)
		}
	}
}

func TestBroadcastShapeMismatchPanics(t *testing.T) {
	tp := autograd.NewTape()
	a := autograd.NewConst(tensor.New(2, 3))
	b := autograd.NewConst(tensor.New(4))
	defer func() {
		msg, _ := recover().(string)
		if msg != "ops.add: shapes [[2 3] [4]] do not broadcast" {
			t.Fatalf("panic %q", msg)
		}
	}()
	Add(tp, a, b)
}

// The fast paths of binaryFwd and sumToShape (equal shapes, operand
// repeating as whole rows) agree with the generic strided walk.
func TestBroadcastFastPathsMatchWalk(t *testing.T) {
	rng := tensor.NewRNG(17)
	for _, c := range []struct{ a, b []int }{
		{[]int{3, 4, 5}, []int{4, 5}},
		{[]int{3, 4, 5}, []int{1, 4, 5}},
		{[]int{4, 5}, []int{3, 4, 5}},
		{[]int{2, 3}, []int{2, 3}},
		{[]int{6}, []int{1}},
		{[]int{2, 1, 5}, []int{2, 3, 5}}, // (B, 1, H) + (B, L, H): the row path
		{[]int{2, 3, 1}, []int{2, 3, 5}}, // (B, T, 1) · (B, T, C)
		{[]int{2, 3, 5}, []int{3, 1}},
		{[]int{4, 1}, []int{1, 3}},
		{[]int{}, []int{}},
		{[]int{}, []int{2, 2}},
	} {
		yS := broadcastShape("test", c.a, c.b)
		a, b := randTensor(rng, c.a...).Data(), randTensor(rng, c.b...).Data()
		for _, op := range []binOp{opAdd, opSub, opMul} {
			got, want := make([]float32, numel(yS)), make([]float32, numel(yS))
			binaryFwd(got, a, b, yS, c.a, c.b, op)
			walk(yS, bcastStrides(c.a, yS), bcastStrides(c.b, yS), nil, func(i, ia, ib, _ int) {
				want[i] = applyOp(op, a[ia], b[ib])
			})
			if !slices.Equal(got, want) {
				t.Errorf("%v op%d %v: %v, walk gives %v", c.a, op, c.b, got, want)
			}
		}
		src := randTensor(rng, yS...).Data()
		got, want := make([]float32, len(b)), make([]float32, len(b))
		sumToShape(got, c.b, src, yS, 0.5)
		walk(yS, bcastStrides(c.b, yS), nil, nil, func(i, ib, _, _ int) { want[ib] += 0.5 * src[i] })
		if err := compare(to64(got), to64(want), 1e-5, 1e-5); err != "" {
			t.Errorf("sumToShape %v -> %v: %s", yS, c.b, err)
		}
	}
}
