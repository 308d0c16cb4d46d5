package autograd_test

import (
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/ops"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func init() {
	autograd.Register("test_wrong_square", "x² with a backward that is off by 10% (GradCheck must notice)")
}

func wrongSquare(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
	y := tp.Empty(x.Shape()...)
	for i, v := range x.Data() {
		y.Data()[i] = v * v
	}
	return tp.Op("test_wrong_square", y, func(out *autograd.Var) {
		if gx := tp.Grad(x); gx != nil {
			for i, v := range x.Data() {
				gx[i] += 2.2 * v * out.Grad.Data()[i] // should be 2·v
			}
		}
	}, x)
}

func TestGradCheck(t *testing.T) {
	rng := tensor.NewRNG(4)
	w := tensor.New(3, 4)
	rng.FillNormal(w.Data(), 0, 0.5)
	W := autograd.NewParam("w", w)
	B := autograd.NewParam("b", tensor.Full(0.1, 3))
	x := tensor.New(5, 4)
	rng.FillNormal(x.Data(), 0, 1)
	tp := autograd.NewTape()
	good := func(tp *autograd.Tape) *autograd.Var {
		return ops.Mean(tp, ops.GELU(tp, ops.Linear(tp, tp.Const(x), W, B)), 0)
	}
	if worst, at := autograd.GradCheck(tp, good, autograd.Params{W, B}, 1e-2, 0, rng); worst > 1e-2 {
		t.Fatalf("correct graph: worst relative error %.3g at %s", worst, at)
	}
	bad := func(tp *autograd.Tape) *autograd.Var {
		return ops.Sum(tp, wrongSquare(tp, ops.Linear(tp, tp.Const(x), W, B)), 0)
	}
	worst, at := autograd.GradCheck(tp, bad, autograd.Params{W, B}, 1e-2, 5, rng)
	if worst < 0.05 || !strings.Contains(at, "analytic") {
		t.Fatalf("wrong backward not detected: worst %.3g (%s)", worst, at)
	}
}
