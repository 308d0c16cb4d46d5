package ops

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func init() {
	autograd.Register("dropout", "inverted dropout with a seeded mask")
}

// Drop configures dropout. In training each element is zeroed with
// probability P and the survivors are scaled by 1/(1-P) (inverted dropout,
// as PyTorch), so evaluation is the identity. The mask is drawn from RNG:
// the same seed gives the same mask on every machine and thread count.
type Drop struct {
	P     float32
	RNG   *tensor.RNG
	Train bool // false: identity (evaluation, sampling)
}

func (d Drop) active(op string) bool {
	if !d.Train || d.P == 0 {
		return false
	}
	if d.P < 0 || d.P >= 1 {
		panic(fmt.Sprintf("ops.%s: dropout probability %v outside [0, 1)", op, d.P))
	}
	if d.RNG == nil {
		panic(fmt.Sprintf("ops.%s: dropout in training mode needs an RNG", op))
	}
	return true
}

// dropChunk is the number of mask elements drawn from one derived stream;
// a constant, so the mask does not depend on how work is split. A multiple
// of 32, so no two chunks share a mask word.
const dropChunk = 4096

// keepMask is a dropout mask packed one bit per element (1: kept), so a
// training step keeps 1/32 of the float32 mask it would otherwise hold
// for the backward. Kept elements are scaled by scale = 1/(1-p).
type keepMask struct {
	bits  []uint32
	n     int
	scale float32
}

// newKeepMask makes a mask for n elements on the heap (tests).
func newKeepMask(n int) *keepMask {
	return &keepMask{bits: make([]uint32, (n+31)/32), n: n}
}

// tapeKeepMask makes a mask for n elements whose words live in the tape's
// arena (a float32 buffer viewed as uint32: every bit is written by
// dropMask before it is read), so it is recycled with the step.
func tapeKeepMask(tp *autograd.Tape, n int) *keepMask {
	words := (n + 31) / 32
	buf := tp.Empty(max(words, 1)).Data()
	return &keepMask{bits: unsafe.Slice((*uint32)(unsafe.Pointer(&buf[0])), words), n: n}
}

// dropMask draws m: element i is dropped when a uniform draw is below p.
// It advances rng by one draw and derives one stream per chunk from it,
// so chunks are drawn in parallel yet deterministically.
func dropMask(m *keepMask, p float32, rng *tensor.RNG) {
	base := tensor.NewRNG(rng.Uint64())
	m.scale = 1 / (1 - p)
	// Uniform() < p compares u/2²⁴ with p for the 24-bit integer u = the
	// draw's top bits, which is u < ⌈p·2²⁴⌉ exactly (p·2²⁴ is exact in
	// float64): the same mask without the float conversion per element.
	thr := uint64(math.Ceil(float64(p) * (1 << 24)))
	chunks := (m.n + dropChunk - 1) / dropChunk
	forRows(chunks, dropChunk, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			r := base.Split(uint64(c))
			end := min((c+1)*dropChunk, m.n)
			for w := c * dropChunk / 32; w*32 < end; w++ {
				var word uint32
				for b := range min(32, end-w*32) {
					if r.Uint64()>>40 >= thr { // Uniform() >= p: kept
						word |= 1 << b
					}
				}
				m.bits[w] = word
			}
		}
	})
}

// applyMask writes y = x·keep, or accumulates it (the backward, where
// d(x·keep)/dx = keep, into a gradient that already holds a sum), with
// keep 0 or m.scale per element. y and x may be the same slice. The mask
// bit multiplies instead of branching (the bits are random, so a branch
// would mispredict often); as in PyTorch, a dropped NaN or Inf therefore
// stays NaN, and a dropped negative value gives -0.
func applyMask[F Float](y, x []F, m *keepMask, accumulate bool) {
	sc := F(m.scale)
	words := (len(y) + 31) / 32
	forRows(words, 32, func(lo, hi int) {
		for w := lo; w < hi; w++ {
			word := m.bits[w]
			i0, i1 := w*32, min(w*32+32, len(y))
			xs, ys := x[i0:i1], y[i0:i1]
			if accumulate {
				for i := range ys {
					ys[i] += xs[i] * sc * F(word>>i&1)
				}
			} else {
				for i := range ys {
					ys[i] = xs[i] * sc * F(word>>i&1)
				}
			}
		}
	})
}

// Dropout zeroes elements of x with probability d.P in training mode and
// scales the rest by 1/(1-P); with d.Train false it returns x itself.
func Dropout(tp *autograd.Tape, x *autograd.Var, d Drop) *autograd.Var {
	return dropout(tp, x, d, false)
}

// DropoutInPlace is Dropout writing over x's value when the tape allows it
// (autograd.Tape.Overwrite: x is a result nothing has read, such as a
// Linear output; PyTorch's dropout(inplace=True)). Same values, masks and
// gradients as Dropout; x must not be used afterwards.
func DropoutInPlace(tp *autograd.Tape, x *autograd.Var, d Drop) *autograd.Var {
	return dropout(tp, x, d, true)
}

func dropout(tp *autograd.Tape, x *autograd.Var, d Drop, inPlace bool) *autograd.Var {
	if !d.active("dropout") {
		return x
	}
	keep := tapeKeepMask(tp, x.Value.Len())
	dropMask(keep, d.P, d.RNG)
	y := x.Value
	if !inPlace || !tp.Overwrite(x) {
		y = tp.Empty(x.Shape()...)
	}
	applyMask(y.Data(), x.Data(), keep, false)
	// The backward reads the mask and the result's gradient, never the
	// result (so a residual Add may write over it in turn) nor x.
	return tp.OpOutputUnread("dropout", y, func(out *autograd.Var) {
		if gx, fresh := tp.GradInit(x); gx != nil {
			applyMask(gx, out.Grad.Data(), keep, !fresh)
		}
	}, x)
}
