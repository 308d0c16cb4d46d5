package ops

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// The gradient-check harness. Every registered op gets a gradCase: random
// float inputs, the op's generic math instantiated in float64 (forward and
// backward), and the float32 tape op. checkCase then runs three checks:
//
//  1. float64: central differences of f64 against the analytic b64, tight
//     (this is what proves the backward formulas);
//  2. float32 vs float64: the tape op's value and tape gradients against
//     f64 and b64 (this proves the asm kernels and the tape wiring);
//  3. float32 finite differences straight through the tape, with loose
//     bounds (an independent check that needs no float64 code at all).

type gradCase struct {
	inputs []*tensor.Tensor // differentiated inputs (random values)
	// f64 is the op's forward in float64; b64 accumulates the input
	// gradients for the upstream gradient gy into gx (zeroed, same shapes
	// as the inputs).
	f64 func(x [][]float64) []float64
	b64 func(x [][]float64, gy []float64, gx [][]float64)
	// op32 is the float32 op on the tape.
	op32 func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var
	// tol32 loosens check 2 for ops with large condition numbers (0 = 2e-3).
	tol32 float64
	// skipFD32 skips check 3 (ops whose float32 rounding swamps a
	// finite difference, such as a long reduction chain).
	skipFD32 bool
}

// wantOps is the op set DiffuSeq needs (GitHub issue 3): registering
// fewer fails the coverage test.
var wantOps = []string{
	"add", "sub", "mul", "scale", "tanh", "silu", "gelu", "linear", "matmul",
	"batched_matmul", "sum", "mean", "softmax", "layernorm", "dropout",
	"attention", "embedding", "cross_entropy", "mse", "where", "reshape",
	"permute", "concat", "slice",
}

// gradChecks maps each registered op name to its check; test files add
// entries with addCheck. TestGradCoverage fails if an op has none.
var gradChecks = map[string]func(t *testing.T, rng *tensor.RNG){}

func addCheck(op string, fn func(t *testing.T, rng *tensor.RNG)) bool {
	if gradChecks[op] != nil {
		panic("two gradient checks for " + op)
	}
	gradChecks[op] = fn
	return true
}

func TestGradCoverage(t *testing.T) {
	ops := autograd.Ops()
	for _, name := range wantOps {
		if !slices.ContainsFunc(ops, func(o autograd.OpInfo) bool { return o.Name == name }) {
			t.Errorf("op %q (required by DiffuSeq) is not registered", name)
		}
	}
	for _, o := range ops {
		if gradChecks[o.Name] == nil {
			t.Errorf("op %q (%s) has no gradient check", o.Name, o.Doc)
		}
	}
	for name := range gradChecks {
		if !slices.ContainsFunc(ops, func(o autograd.OpInfo) bool { return o.Name == name }) {
			t.Errorf("gradient check for unregistered op %q", name)
		}
	}
}

func TestGradients(t *testing.T) {
	for _, o := range autograd.Ops() {
		fn := gradChecks[o.Name]
		if fn == nil {
			continue // reported by TestGradCoverage
		}
		t.Run(o.Name, func(t *testing.T) {
			for seed := uint64(1); seed <= 3; seed++ {
				fn(t, tensor.NewRNG(seed*7919))
				if t.Failed() {
					t.Logf("failed with seed %d", seed*7919)
					return
				}
			}
		})
	}
}

// randTensor fills a tensor of the given shape with N(0, 1) draws.
func randTensor(rng *tensor.RNG, shape ...int) *tensor.Tensor {
	t := tensor.New(shape...)
	rng.FillNormal(t.Data(), 0, 1)
	return t
}

// randShape draws dims in [1, hi] and then sets each to 1 with probability
// 1/4 when ones is true (broadcast dimensions).
func randDim(rng *tensor.RNG, hi int) int { return 1 + rng.Intn(hi) }

func to64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

func to32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// checkCase runs the three checks of a gradCase.
func checkCase(t *testing.T, rng *tensor.RNG, c gradCase) {
	t.Helper()
	x := make([][]float64, len(c.inputs))
	for i, in := range c.inputs {
		x[i] = to64(in.Data())
	}
	y := c.f64(x)
	r := make([]float64, len(y)) // random projection: L = Σ r·y
	for i := range r {
		r[i] = rng.Normal()
	}
	loss := func() float64 {
		var s float64
		for i, v := range c.f64(x) {
			s += r[i] * v
		}
		return s
	}

	// 1. float64 central differences vs the analytic float64 backward.
	gx := make([][]float64, len(x))
	for i := range x {
		gx[i] = make([]float64, len(x[i]))
	}
	c.b64(x, r, gx)
	const h = 1e-6
	for i := range x {
		num := make([]float64, len(x[i]))
		for j := range x[i] {
			v := x[i][j]
			x[i][j] = v + h
			lp := loss()
			x[i][j] = v - h
			lm := loss()
			x[i][j] = v
			num[j] = (lp - lm) / (2 * h)
		}
		if err := compare(gx[i], num, 1e-6, 1e-5); err != "" {
			t.Errorf("float64 gradient of input %d %v: analytic vs finite differences: %s", i, c.inputs[i].Shape(), err)
		}
	}

	// 2. float32 tape op vs float64.
	tol := c.tol32
	if tol == 0 {
		tol = 2e-3
	}
	tp := autograd.NewTape()
	vars := make([]*autograd.Var, len(c.inputs))
	for i, in := range c.inputs {
		vars[i] = autograd.NewParam(fmt.Sprintf("x%d", i), in.Clone())
	}
	out := c.op32(tp, vars)
	if got := out.Value.Len(); got != len(y) {
		t.Fatalf("float32 op gives %d values (shape %v), float64 %d", got, out.Shape(), len(y))
	}
	if err := compare(to64(out.Data()), y, tol, tol); err != "" {
		t.Errorf("float32 forward vs float64: %s", err)
	}
	tp.BackwardFrom(out, tensor.FromSlice(to32(r), out.Shape()...))
	for i, v := range vars {
		if err := compare(to64(v.Grad.Data()), gx[i], tol, tol); err != "" {
			t.Errorf("float32 tape gradient of input %d %v vs float64: %s", i, v.Shape(), err)
		}
	}

	// 3. float32 finite differences through the tape (loose).
	if c.skipFD32 {
		return
	}
	loss32 := func() float64 {
		tp.Reset()
		prev := tp.SetGrad(false)
		defer tp.SetGrad(prev)
		var s float64
		for i, v := range c.op32(tp, vars).Data() {
			s += r[i] * float64(v)
		}
		return s
	}
	const h32 = 1e-2
	for i, v := range vars {
		d := v.Data()
		num := make([]float64, len(d))
		for j := range d {
			old := d[j]
			d[j] = old + h32
			lp := loss32()
			d[j] = old - h32
			lm := loss32()
			d[j] = old
			num[j] = (lp - lm) / (2 * h32)
		}
		if err := compare(gx[i], num, 3e-2, 3e-2); err != "" {
			t.Errorf("float32 finite differences of input %d %v vs analytic: %s", i, v.Shape(), err)
		}
	}
}

// compare checks |got-want| ≤ atol·scale + rtol·|want| element-wise, with
// scale = max(1, max|want|), and describes the worst violation.
func compare(got, want []float64, rtol, atol float64) string {
	if len(got) != len(want) {
		return fmt.Sprintf("length %d, want %d", len(got), len(want))
	}
	scale := 1.0
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	worst, at := 0.0, -1
	for i := range got {
		excess := math.Abs(got[i]-want[i]) - (atol*scale + rtol*math.Abs(want[i]))
		if excess > worst || math.IsNaN(got[i]) {
			worst, at = excess, i
			if math.IsNaN(got[i]) {
				break
			}
		}
	}
	if at < 0 {
		return ""
	}
	return fmt.Sprintf("element %d: got %.8g, want %.8g (scale %.3g)", at, got[at], want[at], scale)
}
