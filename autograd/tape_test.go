package autograd_test

import (
	"math"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/ops"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func vec(xs ...float32) *tensor.Tensor { return tensor.FromSlice(xs, len(xs)) }

// loss = Σ (w·x)² with w used twice (as in a tied embedding/lm_head):
// dL/dw = 2·(w·x)·x per use, and the uses add up.
func TestSharedWeightAccumulates(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", vec(1, 2, 3))
	x := tp.Const(vec(0.5, -1, 2))
	y1 := ops.Mul(tp, w, x)
	y2 := ops.Mul(tp, w, x)
	loss := ops.Sum(tp, ops.Add(tp, ops.Mul(tp, y1, y1), ops.Mul(tp, y2, y2)), 0)
	tp.Backward(loss)
	for i, want := range []float32{2 * 2 * 0.5 * 0.5, 2 * 2 * 2 * 1, 2 * 2 * 3 * 4} {
		if got := w.Grad.Data()[i]; got != want {
			t.Fatalf("grad[%d] = %v, want %v", i, got, want)
		}
	}
}

// Two Backward calls with a Reset between (two microbatches) sum into the
// parameter gradient; ZeroGrad clears it.
func TestGradientAccumulationAcrossMicrobatches(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", vec(1, 2))
	ps := autograd.Params{w}
	for step := 0; step < 2; step++ {
		tp.Reset()
		tp.Backward(ops.Sum(tp, ops.Scale(tp, w, 3), 0))
	}
	if g := w.Grad.Data(); g[0] != 6 || g[1] != 6 {
		t.Fatalf("accumulated grad %v, want [6 6]", g)
	}
	ps.ZeroGrad()
	if g := w.Grad.Data(); g[0] != 0 || g[1] != 0 {
		t.Fatalf("after ZeroGrad %v", g)
	}
}

func TestNoGradRecordsNothing(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", vec(1, 2))
	defer tp.SetGrad(tp.SetGrad(false))
	y := ops.Tanh(tp, ops.Mul(tp, w, w))
	if tp.Len() != 0 || y.RequiresGrad() || y.Grad != nil {
		t.Fatalf("no-grad mode recorded %d ops (%v), requiresGrad=%v", tp.Len(), tp.OpNames(), y.RequiresGrad())
	}
}

func TestConstantsAreNotRecorded(t *testing.T) {
	tp := autograd.NewTape()
	a, b := tp.Const(vec(1, 2)), tp.Const(vec(3, 4))
	if y := ops.Add(tp, a, b); y.RequiresGrad() || tp.Len() != 0 {
		t.Fatalf("constant-only op recorded")
	}
}

func TestFrozenParamGetsNoGradient(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", vec(1, 2))
	f := autograd.NewParam("f", vec(5, 6))
	f.SetRequiresGrad(false)
	tp.Backward(ops.Sum(tp, ops.Mul(tp, w, f), 0))
	if g := f.Grad.Data(); g[0] != 0 || g[1] != 0 {
		t.Fatalf("frozen grad %v", g)
	}
	if g := w.Grad.Data(); g[0] != 5 || g[1] != 6 {
		t.Fatalf("grad %v", g)
	}
}

// After the first step, Reset hands back the same buffers: the arena and
// the records stop growing.
func TestResetReusesBuffers(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", tensor.Full(0.5, 4, 3))
	step := func() *tensor.Tensor {
		tp.Reset()
		x := tp.Const(tensor.Full(1, 2, 3))
		y := ops.Tanh(tp, ops.Linear(tp, x, w, nil))
		tp.Backward(ops.Mean(tp, y, 0))
		return y.Value
	}
	first := step()
	for i := 0; i < 3; i++ {
		if v := step(); v != first {
			t.Fatalf("step %d got a fresh result buffer", i)
		}
	}
	allocs := testing.AllocsPerRun(20, func() { step() })
	// Only small things are allocated per step (backward closures, the
	// worker pool's closures, shape slices), never tensors: with 4 ops
	// that is about a dozen. A tensor-per-op leak would add far more.
	if allocs > 20 {
		t.Fatalf("%v allocations per steady-state step", allocs)
	}
}

func expectPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		msg, _ := recover().(string)
		if !strings.Contains(msg, want) {
			t.Fatalf("panic %q, want it to contain %q", msg, want)
		}
	}()
	f()
}

func TestMisuseFailsClearly(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", vec(1, 2))
	expectPanic(t, `loss "mul" has shape [2], want a scalar`, func() { tp.Backward(ops.Mul(tp, w, w)) })
	tp.Reset()
	loss := ops.Sum(tp, w, 0)
	tp.Backward(loss)
	expectPanic(t, "called twice", func() { tp.Backward(loss) })
	expectPanic(t, "recorded after Backward", func() { ops.Sum(tp, w, 0) })
	expectPanic(t, `op "nope" is not registered`, func() { tp.Op("nope", tensor.New(1), nil, w) })
	expectPanic(t, "listed twice", func() { autograd.Params{w, w}.Check() })
}

func TestWriteDot(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", tensor.Full(1, 2, 3))
	x := tp.Const(tensor.Full(1, 4, 3))
	ops.Sum(tp, ops.Linear(tp, x, w, nil), 0)
	var sb strings.Builder
	if err := tp.WriteDot(&sb); err != nil {
		t.Fatal(err)
	}
	got := sb.String()
	for _, want := range []string{
		`v0 [shape=plaintext,label="const [4 3]"];`,
		`v1 [shape=box,label="w [2 3]"];`,
		`v2 [label="linear [4 2]"];`,
		"v0 -> v2;", "v1 -> v2;",
		`v3 [label="sum []"];`, "v2 -> v3;",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("dot output lacks %q:\n%s", want, got)
		}
	}
}

func TestCheckFiniteNamesTheOp(t *testing.T) {
	tp := autograd.NewTape()
	tp.SetCheckFinite(true)
	w := autograd.NewParam("w", vec(1, 2))
	inf := tp.Const(vec(float32(math.Inf(1)), 1))
	loss := ops.Sum(tp, ops.Tanh(tp, ops.Mul(tp, w, inf)), 0) // tanh'(inf)·inf → NaN
	expectPanic(t, "autograd.Backward: mul gave a non-finite gradient", func() { tp.Backward(loss) })
	if tp.Bytes() <= 0 {
		t.Fatal("arena reports no bytes")
	}
}

// GradInit hands a new, unzeroed buffer (fresh) to the first consumer and
// the existing gradient (not fresh) to later ones; none for constants.
func TestGradInit(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", vec(1, 2))
	if _, fresh := tp.GradInit(w); fresh {
		t.Fatal("a parameter's own gradient reported fresh")
	}
	y := ops.Scale(tp, w, 2)
	g, fresh := tp.GradInit(y)
	if !fresh || len(g) != 2 || &y.Grad.Data()[0] != &g[0] {
		t.Fatalf("first GradInit: fresh %v, len %d", fresh, len(g))
	}
	g[0], g[1] = 5, 6
	if g2, fresh := tp.GradInit(y); fresh || g2[0] != 5 || tp.Grad(y)[1] != 6 {
		t.Fatalf("second GradInit: fresh %v, %v", fresh, g2)
	}
	if g, fresh := tp.GradInit(tp.Const(vec(1))); g != nil || fresh {
		t.Fatal("a constant got a gradient")
	}
}

// Backward hands each intermediate gradient back to the arena once its
// op's backward has run: a chain of n ops then holds about n values and
// two gradients, not n of each, the arena stays the same size step after
// step, and the gradients still come out right.
func TestBackwardRecyclesGradients(t *testing.T) {
	const n, size = 8, 1000
	tp := autograd.NewTape()
	w := autograd.NewParam("w", tensor.Full(1, size))
	var mid *autograd.Var
	step := func() *autograd.Var {
		tp.Reset()
		y := w
		for i := range n {
			y = ops.Scale(tp, y, 2)
			if i == n/2 {
				mid = y
			}
		}
		loss := ops.Sum(tp, y, 0)
		tp.Backward(loss)
		return loss
	}
	loss := step()
	first := tp.Bytes()
	for range 3 {
		w.ZeroGrad()
		loss = step()
	}
	if tp.Bytes() != first {
		t.Fatalf("arena grew from %d to %d bytes", first, tp.Bytes())
	}
	if limit := 4 * size * (n + 3); first > limit {
		t.Fatalf("arena %d bytes, want at most %d (n values + a few gradients)", first, limit)
	}
	if mid.Grad != nil || loss.Grad == nil || loss.Grad.Data()[0] != 1 {
		t.Fatalf("after Backward: intermediate grad %v, loss grad %v", mid.Grad, loss.Grad)
	}
	for _, g := range w.Grad.Data() {
		if g != 1<<n {
			t.Fatalf("dloss/dw = %v, want %d", g, 1<<n)
		}
	}
}

// Collect frees a no-grad scope's buffers except the kept one, which an
// enclosing scope may free later; with gradients on it frees nothing.
func TestMarkCollect(t *testing.T) {
	tp := autograd.NewTape()
	tp.SetGrad(false)
	x := tp.Const(vec(1, 2, 3))
	m := tp.Mark()
	a := ops.Scale(tp, x, 2)
	b := tp.Collect(m, ops.Scale(tp, a, 3)) // a is freed
	c := ops.Scale(tp, b, 1)                // reuses a's buffer
	if &c.Data()[0] != &a.Data()[0] || b.Data()[0] != 6 || c.Data()[2] != 18 || x.Data()[0] != 1 {
		t.Fatalf("after Collect: a %v b %v c %v x %v", a.Data(), b.Data(), c.Data(), x.Data())
	}
	d := tp.Collect(m, ops.Scale(tp, c, 2)) // frees b and c
	if e := ops.Scale(tp, d, 1); &e.Data()[0] == &d.Data()[0] || d.Data()[1] != 24 {
		t.Fatalf("kept buffer handed out again: d %v", d.Data())
	}

	g := autograd.NewTape()
	w := autograd.NewParam("w", vec(1, 2, 3))
	m = g.Mark()
	a = ops.Scale(g, w, 2)
	g.Collect(m, ops.Scale(g, a, 3))
	if c := ops.Scale(g, w, 1); &c.Data()[0] == &a.Data()[0] {
		t.Fatal("Collect freed a buffer with gradients on")
	}
}

// GradInPlace gives the value buffer only to the sole consumer of a
// result whose producer never reads it; otherwise it is GradInit.
func TestGradInPlace(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", vec(1, 2))
	unread := tp.OpOutputUnread("scale", tensor.FromSlice([]float32{2, 4}, 2), func(*autograd.Var) {}, w)
	ops.Scale(tp, unread, 1)
	if g, fresh := tp.GradInPlace(unread); !fresh || &g[0] != &unread.Data()[0] {
		t.Fatal("sole consumer of an unread result did not get its value buffer")
	}
	twice := tp.OpOutputUnread("scale", tensor.FromSlice([]float32{2, 4}, 2), func(*autograd.Var) {}, w)
	ops.Scale(tp, twice, 1)
	ops.Scale(tp, twice, 2)
	if g, fresh := tp.GradInPlace(twice); !fresh || &g[0] == &twice.Data()[0] {
		t.Fatal("a result with two consumers gave away its value")
	}
	read := ops.Scale(tp, w, 3) // an ordinary Op: its backward may read the value
	ops.Scale(tp, read, 1)
	if g, _ := tp.GradInPlace(read); &g[0] == &read.Data()[0] {
		t.Fatal("an ordinary result gave away its value")
	}
}
