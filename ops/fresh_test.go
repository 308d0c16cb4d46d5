package ops

import (
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// Ops whose backward writes a fresh input gradient in place (GradInit:
// Linear's GEMM with beta 0, Dropout, CrossEntropy) must give the same
// gradient as their accumulating path. The input is fed once as a
// parameter (its own gradient: accumulate) and once through Scale(·, 1)
// (an op result: fresh), twice over so the second use accumulates, for
// two steps so that fresh buffers hold the previous step's data.
func TestFreshGradientPathsMatchAccumulate(t *testing.T) {
	rng := tensor.NewRNG(3)
	w, b := autograd.NewParam("w", randTensor(rng, 7, 5)), autograd.NewParam("b", randTensor(rng, 7))
	ids := []int{0, 6, 3, 2, 5, 1}
	cases := map[string]func(tp *autograd.Tape, x *autograd.Var) *autograd.Var{
		"linear": func(tp *autograd.Tape, x *autograd.Var) *autograd.Var { return Linear(tp, x, w, b) },
		"dropout": func(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
			return Dropout(tp, x, Drop{P: 0.3, RNG: tensor.NewRNG(9), Train: true})
		},
		"cross_entropy": func(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
			return CrossEntropy(tp, Linear(tp, x, w, b), ids, nil, ReduceNone)
		},
	}
	x0 := randTensor(rng, 2, 3, 5)
	for name, op := range cases {
		grads := [2][]float32{}
		for i, viaOp := range []bool{false, true} {
			tp := autograd.NewTape()
			p := autograd.NewParam("x", x0)
			for range 2 { // the second step gets the first one's stale buffers
				tp.Reset()
				p.ZeroGrad()
				in := p
				if viaOp {
					in = Scale(tp, p, 1)
				}
				y := Add(tp, op(tp, in), op(tp, in)) // two uses: fresh, then accumulate
				tp.Backward(Sum(tp, Mul(tp, y, y), 0))
			}
			grads[i] = p.Grad.Data()
		}
		for j := range grads[0] {
			if d := math.Abs(float64(grads[0][j] - grads[1][j])); d > 1e-5*(1+math.Abs(float64(grads[0][j]))) {
				t.Fatalf("%s: element %d: accumulate %v, fresh %v", name, j, grads[0][j], grads[1][j])
			}
		}
	}
}

// The lm_head pattern: CrossEntropy writing its gradient over the logits
// of a Linear used nowhere else (Tape.GradInPlace) gives the gradients of
// the ordinary path, taken when the logits have a second consumer.
func TestCrossEntropyInPlaceOverLinearLogits(t *testing.T) {
	rng := tensor.NewRNG(4)
	h0, e0, b0 := randTensor(rng, 6, 5), randTensor(rng, 9, 5), randTensor(rng, 9)
	ids := []int{0, 8, 3, 2, 5, 1}
	var got [2][3][]float32
	for i, inPlace := range []bool{true, false} {
		tp := autograd.NewTape()
		h, e, b := autograd.NewParam("h", h0), autograd.NewParam("e", e0), autograd.NewParam("b", b0)
		for range 2 { // stale buffers on the second step
			tp.Reset()
			for _, p := range []*autograd.Var{h, e, b} {
				p.ZeroGrad()
			}
			logits := Linear(tp, h, e, b)
			loss := Mean(tp, CrossEntropy(tp, logits, ids, nil, ReduceNone), 0)
			if !inPlace {
				loss = Add(tp, loss, Scale(tp, Sum(tp, logits, 0), 0)) // a second consumer, adding 0
			}
			tp.Backward(loss)
		}
		got[i] = [3][]float32{h.Grad.Data(), e.Grad.Data(), b.Grad.Data()}
	}
	for k := range 3 {
		for j := range got[0][k] {
			if d := math.Abs(float64(got[0][k][j] - got[1][k][j])); d > 1e-6 {
				t.Fatalf("param %d element %d: in place %v, ordinary %v", k, j, got[0][k][j], got[1][k][j])
			}
		}
	}
}
