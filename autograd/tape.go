package autograd

import (
	"fmt"
	"math"
	"slices"
	"unsafe"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// Tape is a Wengert list: every op appends a record (op name, inputs,
// output, backward closure) while the forward pass runs, and Backward
// walks the records in reverse. Forward order is already a topological
// order of the graph, so no sort is needed.
//
// The tape also owns the memory of one step: op results, their gradients
// and the Var structs come from an arena that Reset rewinds. A training
// loop that builds the same graph every step therefore reuses the same
// buffers and stops allocating after the first step.
//
// A Tape is not safe for concurrent use (ops parallelise inside).
type Tape struct {
	noGrad      bool
	done        bool // Backward has run since the last Reset
	checkFinite bool // panic at the first op whose backward yields NaN/Inf

	recs []record // recs[:nrec] are this step's records
	nrec int

	vars []*Var // pool of result Vars; vars[:nvar] in use
	nvar int

	bufs []*tensor.Tensor // arena; bufs[:nbuf] in use
	nbuf int

	// free holds arena buffers released during Backward (gradients of
	// results whose backward has run), by element count, for Empty to hand
	// out again before growing the arena.
	free map[int][]*tensor.Tensor

	// issued lists, in no-grad mode, the arena buffers handed out this
	// step, so that Collect can release a finished scope's (Mark).
	issued []*tensor.Tensor
}

type record struct {
	op       string
	inputs   []*Var
	out      *Var
	backward func(out *Var)
}

// NewTape returns an empty tape with gradients enabled.
func NewTape() *Tape { return &Tape{} }

// SetGrad turns gradient recording on or off and returns the previous
// setting. With it off (sampling, evaluation) ops record nothing and no
// gradient buffers are allocated:
//
//	defer tp.SetGrad(tp.SetGrad(false))
func (tp *Tape) SetGrad(on bool) (prev bool) {
	prev = !tp.noGrad
	tp.noGrad = !on
	return prev
}

// SetCheckFinite makes Backward check, after each record, that the
// gradients it produced are finite, and panic naming the op otherwise: the
// place to start when a training run diverges. It costs one pass over the
// gradients per op, so leave it off in production.
func (tp *Tape) SetCheckFinite(on bool) { tp.checkFinite = on }

// Bytes is the size of the arena: every buffer the tape holds for reuse.
func (tp *Tape) Bytes() int {
	n := 0
	for _, b := range tp.bufs {
		n += 4 * cap(b.Buffer())
	}
	return n
}

// GradEnabled reports whether ops record for backward.
func (tp *Tape) GradEnabled() bool { return !tp.noGrad }

// Len is the number of records since the last Reset.
func (tp *Tape) Len() int { return tp.nrec }

// OpNames lists the recorded op names in forward order (for debugging).
func (tp *Tape) OpNames() []string {
	out := make([]string, tp.nrec)
	for i := range out {
		out[i] = tp.recs[i].op
	}
	return out
}

// Reset forgets the records and rewinds the arena. Every Var made by an op
// or by Const since the previous Reset becomes invalid: its buffers will be
// reused by the next step. Parameters are untouched (their gradients keep
// accumulating until ZeroGrad).
func (tp *Tape) Reset() {
	for i := range tp.recs[:tp.nrec] {
		r := &tp.recs[i]
		clear(r.inputs)
		r.inputs = r.inputs[:0]
		r.out, r.backward = nil, nil
	}
	tp.nrec, tp.nvar, tp.nbuf = 0, 0, 0
	tp.done = false
	for n, l := range tp.free {
		clear(l)
		tp.free[n] = l[:0]
	}
	clear(tp.issued)
	tp.issued = tp.issued[:0]
}

// Empty returns an arena tensor of the given shape whose contents are
// unspecified: the caller must overwrite every element.
func (tp *Tape) Empty(shape ...int) *tensor.Tensor {
	b := tp.empty(shape)
	if tp.noGrad {
		tp.issued = append(tp.issued, b)
	}
	return b
}

func (tp *Tape) empty(shape []int) *tensor.Tensor {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("autograd.Tape: negative dimension in shape %v", shape))
		}
		n *= d
	}
	if l := tp.free[n]; len(l) > 0 {
		b := l[len(l)-1]
		l[len(l)-1] = nil
		tp.free[n] = l[:len(l)-1]
		if !slices.Equal(b.Shape(), shape) {
			b = tensor.FromSlice(b.Data(), shape...)
		}
		return b
	}
	if tp.nbuf < len(tp.bufs) {
		b := tp.bufs[tp.nbuf]
		if !slices.Equal(b.Shape(), shape) {
			if buf := b.Buffer(); cap(buf) >= n {
				b = tensor.FromSlice(buf[:n], shape...)
			} else {
				b = tensor.New(shape...)
			}
			tp.bufs[tp.nbuf] = b
		}
		tp.nbuf++
		return b
	}
	b := tensor.New(shape...)
	tp.bufs = append(tp.bufs, b)
	tp.nbuf++
	return b
}

// Mark opens a scope for Collect. It is meant for no-grad evaluation,
// where nothing is kept for a backward:
//
//	m := tp.Mark()
//	h = layer.Forward(tp, h, ...) // many temporaries
//	h = tp.Collect(m, h)          // only h survives
func (tp *Tape) Mark() int { return len(tp.issued) }

// Collect ends the scope opened by Mark: in no-grad mode every arena
// buffer handed out since then, except keep's value, goes back to the
// arena for the ops that follow, so a forward pass holds one layer's
// temporaries at a time instead of all of them (as PyTorch frees tensors
// under no_grad). Vars made inside the scope other than keep must not be
// used afterwards. With gradients on it does nothing: the backward needs
// those buffers. It returns keep.
func (tp *Tape) Collect(mark int, keep *Var) *Var {
	if !tp.noGrad || mark > len(tp.issued) {
		return keep
	}
	var kept *tensor.Tensor
	for _, b := range tp.issued[mark:] {
		if sameBuffer(b, keep.Value) {
			kept = b
			continue
		}
		if tp.free == nil {
			tp.free = map[int][]*tensor.Tensor{}
		}
		n := b.Len()
		tp.free[n] = append(tp.free[n], b)
	}
	clear(tp.issued[mark:])
	tp.issued = tp.issued[:mark]
	if kept != nil {
		tp.issued = append(tp.issued, kept) // an enclosing scope may free it
	}
	return keep
}

// sameBuffer reports whether two tensors' memory overlaps (a view of an
// arena buffer counts as that buffer).
func sameBuffer(a, b *tensor.Tensor) bool {
	x, y := a.Buffer(), b.Buffer()
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	x0, y0 := uintptr(unsafe.Pointer(&x[0])), uintptr(unsafe.Pointer(&y[0]))
	return x0 < y0+4*uintptr(len(y)) && y0 < x0+4*uintptr(len(x))
}

// Zeros returns a zero-filled arena tensor.
func (tp *Tape) Zeros(shape ...int) *tensor.Tensor {
	t := tp.Empty(shape...)
	clear(t.Data())
	return t
}

// newVar hands out a pooled Var.
func (tp *Tape) newVar(name string, value *tensor.Tensor, needsGrad bool) *Var {
	if tp.nvar == len(tp.vars) {
		tp.vars = append(tp.vars, new(Var))
	}
	v := tp.vars[tp.nvar]
	tp.nvar++
	*v = Var{Value: value, Name: name, needsGrad: needsGrad}
	return v
}

// Const wraps value as a constant valid until Reset (no allocation in the
// steady state). value is made contiguous.
func (tp *Tape) Const(value *tensor.Tensor) *Var {
	return tp.newVar("const", value.Contiguous(), false)
}

// Op makes the Var holding an op's result. If gradients are enabled and
// any input needs one, it appends a record whose backward closure will be
// called with the result once the result's Grad is known; the closure must
// accumulate (+=) into the gradients of the inputs it differentiates,
// obtained with Tape.Grad. name must have been registered.
func (tp *Tape) Op(name string, value *tensor.Tensor, backward func(out *Var), inputs ...*Var) *Var {
	if !registered(name) {
		panic(fmt.Sprintf("autograd.Tape.Op: op %q is not registered", name))
	}
	if !value.IsContiguous() {
		panic(fmt.Sprintf("autograd.Tape.Op: %s produced a non-contiguous value %v", name, value.Shape()))
	}
	if tp.done {
		panic(fmt.Sprintf("autograd.Tape.Op: %s recorded after Backward; call Reset first", name))
	}
	needs := false
	if !tp.noGrad {
		for _, in := range inputs {
			if in.needsGrad {
				needs = true
				break
			}
		}
	}
	for _, in := range inputs {
		if in.overwritten && in.uses > 0 {
			panic(fmt.Sprintf("autograd.Tape.Op: %s reads a %s result whose value an in-place op has overwritten", name, in.Name))
		}
		in.uses++
	}
	out := tp.newVar(name, value, needs)
	if !needs {
		return out
	}
	if tp.nrec == len(tp.recs) {
		tp.recs = append(tp.recs, record{})
	}
	r := &tp.recs[tp.nrec]
	tp.nrec++
	r.op, r.out, r.backward = name, out, backward
	r.inputs = append(r.inputs[:0], inputs...)
	return out
}

// OpOutputUnread is Op for an op whose backward never reads its own
// result's value (Linear: its backward needs x, W and the result's
// gradient only). A sole consumer may then take that value buffer as the
// result's gradient (GradInPlace), saving a buffer of the result's size.
func (tp *Tape) OpOutputUnread(name string, value *tensor.Tensor, backward func(out *Var), inputs ...*Var) *Var {
	out := tp.Op(name, value, backward, inputs...)
	out.outUnread = true
	return out
}

// GradInPlace is GradInit for a consumer whose backward can write v's
// gradient over v's value (each element read before it is written, as
// the cross-entropy does row by row). When v has no gradient yet, its
// producer never reads it (OpOutputUnread) and the caller is v's only
// consumer, the value buffer itself becomes v's gradient: fresh is true
// and v's value is gone afterwards. Otherwise it behaves as GradInit.
// For the (tokens, vocabulary) logits of the lm_head this saves a
// logits-sized buffer at the peak of a training step.
func (tp *Tape) GradInPlace(v *Var) (g []float32, fresh bool) {
	if v.needsGrad && v.Grad == nil && v.outUnread && v.uses == 1 {
		v.Grad = v.Value
		return v.Grad.Data(), true
	}
	return tp.GradInit(v)
}

// Grad returns v's gradient as a flat slice to accumulate into, creating a
// zeroed one from the arena on first use. It returns nil when v needs no
// gradient, so backward closures skip that input:
//
//	if gx := tp.Grad(x); gx != nil { ... gx[i] += ... }
func (tp *Tape) Grad(v *Var) []float32 {
	if !v.needsGrad {
		return nil
	}
	if v.Grad == nil {
		v.Grad = tp.Zeros(v.Shape()...)
	}
	return v.Grad.Data()
}

// GradInit is Grad for a backward that can write v's whole gradient at
// once: when v has no gradient yet it returns a new arena buffer that is
// NOT zeroed, and fresh = true, and the caller must then set (=) every
// element rather than add. When a gradient already exists (another
// consumer got there first) it returns that one and fresh = false, to add
// into as usual. It saves a zeroing pass and a read of the buffer, which
// matters for the (rows, vocabulary) logits gradient of the cross-entropy.
func (tp *Tape) GradInit(v *Var) (g []float32, fresh bool) {
	if !v.needsGrad {
		return nil, false
	}
	if v.Grad == nil {
		v.Grad = tp.Empty(v.Shape()...)
		return v.Grad.Data(), true
	}
	return v.Grad.Data(), false
}

// Backward computes the gradient of the scalar loss with respect to every
// Var on the tape that needs one, adding d loss/d loss = 1 to loss.Grad and
// walking the records in reverse. Parameter gradients accumulate, so
// several Backward calls (one per microbatch, with a Reset between) sum.
func (tp *Tape) Backward(loss *Var) {
	if loss.Value.Len() != 1 {
		panic(fmt.Sprintf("autograd.Backward: loss %q has shape %v, want a scalar", loss.Name, loss.Shape()))
	}
	seed := tp.Empty(loss.Shape()...)
	seed.Data()[0] = 1
	tp.BackwardFrom(loss, seed)
}

// BackwardFrom is Backward with an explicit upstream gradient for a
// non-scalar out (same shape): it back-propagates Σ seed·out.
func (tp *Tape) BackwardFrom(out *Var, seed *tensor.Tensor) {
	if !slices.Equal(out.Shape(), seed.Shape()) {
		panic(fmt.Sprintf("autograd.Backward: seed shape %v for output %q of shape %v", seed.Shape(), out.Name, out.Shape()))
	}
	if tp.done {
		panic("autograd.Backward: called twice on one tape; call Reset between steps")
	}
	tp.done = true
	g := tp.Grad(out)
	if g == nil {
		panic(fmt.Sprintf("autograd.Backward: %q does not depend on any parameter (or gradients are off)", out.Name))
	}
	s := seed.Contiguous().Data()
	for i := range g {
		g[i] += s[i]
	}
	for i := tp.nrec - 1; i >= 0; i-- {
		r := &tp.recs[i]
		if r.out.Grad == nil {
			continue // nothing flowed into this result
		}
		r.backward(r.out)
		if tp.checkFinite {
			checkFinite(r)
		}
		if r.out != out {
			tp.release(r.out)
		}
	}
}

// release hands v's gradient back to the arena once v's own backward has
// run: every consumer of v was recorded after it, so their backwards have
// run too and nothing reads the gradient again. Later backwards reuse the
// buffer, so a step holds only the gradients still in flight, not one per
// result (about a third of a training step's peak memory). v.Grad becomes
// nil: gradients of intermediate results are not kept after Backward, only
// those of parameters and of the Var Backward started from.
func (tp *Tape) release(v *Var) {
	if v.param || v.Grad == nil {
		return
	}
	if tp.free == nil {
		tp.free = map[int][]*tensor.Tensor{}
	}
	n := v.Grad.Len()
	tp.free[n] = append(tp.free[n], v.Grad)
	v.Grad = nil
}

// checkFinite panics if a gradient produced by r's backward holds a NaN or
// an infinity.
func checkFinite(r *record) {
	for i, in := range r.inputs {
		if in.Grad == nil {
			continue
		}
		for j, g := range in.Grad.Data() {
			if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) {
				panic(fmt.Sprintf("autograd.Backward: %s gave a non-finite gradient %v at element %d of input %d (%s %v)", r.op, g, j, i, in.Name, in.Shape()))
			}
		}
	}
}
