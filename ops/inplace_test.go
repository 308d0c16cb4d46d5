package ops

import (
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// The encoder layer's residual chain LayerNorm(AddInPlace(DropoutInPlace(
// Linear(x)), h)) gives the values and gradients of the out-of-place ops,
// in training and evaluation mode, over two steps (stale buffers), and
// writes the dropout and the sum over the Linear output's buffer.
func TestInPlaceChainMatchesOutOfPlace(t *testing.T) {
	rng := tensor.NewRNG(5)
	x0, h0, w0, b0 := randTensor(rng, 3, 4, 6), randTensor(rng, 3, 4, 5), randTensor(rng, 5, 6), randTensor(rng, 5)
	g0, be0 := randTensor(rng, 5), randTensor(rng, 5)
	for _, train := range []bool{true, false} {
		var vals [2][]float32
		var grads [2][][]float32
		for k, inPlace := range []bool{false, true} {
			tp := autograd.NewTape()
			ps := []*autograd.Var{autograd.NewParam("x", x0), autograd.NewParam("h", h0), autograd.NewParam("w", w0),
				autograd.NewParam("b", b0), autograd.NewParam("g", g0), autograd.NewParam("be", be0)}
			for range 2 {
				tp.Reset()
				for _, p := range ps {
					p.ZeroGrad()
				}
				x, h := Scale(tp, ps[0], 1), Scale(tp, ps[1], 1) // op results, like a layer's input
				d := Drop{P: 0.4, RNG: tensor.NewRNG(11), Train: train}
				lin := Linear(tp, x, ps[2], ps[3])
				var s *autograd.Var
				if inPlace {
					s = AddInPlace(tp, DropoutInPlace(tp, lin, d), h)
					if &s.Data()[0] != &lin.Data()[0] {
						t.Fatalf("train %v: the residual sum is not in the Linear output's buffer", train)
					}
				} else {
					s = Add(tp, Dropout(tp, lin, d), h)
				}
				y := LayerNorm(tp, s, ps[4], ps[5], 1e-5)
				tp.Backward(Sum(tp, Mul(tp, y, y), 0))
				vals[k] = append([]float32(nil), y.Data()...)
			}
			grads[k] = nil
			for _, p := range ps {
				grads[k] = append(grads[k], p.Grad.Data())
			}
		}
		for j := range vals[0] {
			if vals[0][j] != vals[1][j] {
				t.Fatalf("train %v: value %d: out of place %v, in place %v", train, j, vals[0][j], vals[1][j])
			}
		}
		for i := range grads[0] {
			for j := range grads[0][i] {
				if d := math.Abs(float64(grads[0][i][j] - grads[1][i][j])); d > 1e-6 {
					t.Fatalf("train %v: param %d element %d: out of place %v, in place %v", train, i, j, grads[0][i][j], grads[1][i][j])
				}
			}
		}
	}
}

// Where the tape refuses (a parameter, a result already read, broadcasting
// onto a, the same Var twice) the in-place ops write a fresh buffer.
func TestInPlaceFallsBack(t *testing.T) {
	rng := tensor.NewRNG(6)
	tp := autograd.NewTape()
	p := autograd.NewParam("p", randTensor(rng, 2, 3))
	d := Drop{P: 0.5, RNG: tensor.NewRNG(1), Train: true}
	same := func(a, b *autograd.Var) bool { return &a.Data()[0] == &b.Data()[0] }
	if y := DropoutInPlace(tp, p, d); same(y, p) {
		t.Fatal("dropout wrote over a parameter")
	}
	read := Scale(tp, p, 1)
	Sum(tp, read, 0)
	if y := AddInPlace(tp, read, p); same(y, read) {
		t.Fatal("add wrote over a result already read")
	}
	small := Sum(tp, Scale(tp, p, 1), 0) // (3), broadcast against (2, 3)
	if y := AddInPlace(tp, small, p); same(y, small) || len(y.Data()) != 6 {
		t.Fatal("add wrote a broadcast result over its smaller operand")
	}
	twice := Scale(tp, p, 1)
	if y := AddInPlace(tp, twice, twice); same(y, twice) || y.Data()[0] != 2*p.Data()[0] {
		t.Fatal("a + a in place")
	}
}
