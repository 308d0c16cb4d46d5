package ops

import (
	"fmt"

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
// a constant, so the mask does not depend on how work is split.
const dropChunk = 4096

// dropMask fills keep with 0 (dropped) or 1/(1-p) (kept). It advances rng
// by one draw and derives one stream per chunk from it, so chunks are
// drawn in parallel yet deterministically.
func dropMask(keep []float32, p float32, rng *tensor.RNG) {
	base := tensor.NewRNG(rng.Uint64())
	scale := 1 / (1 - p)
	chunks := (len(keep) + dropChunk - 1) / dropChunk
	forRows(chunks, dropChunk, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			r := base.Split(uint64(c))
			for i := c * dropChunk; i < min((c+1)*dropChunk, len(keep)); i++ {
				if r.Uniform() < p {
					keep[i] = 0
				} else {
					keep[i] = scale
				}
			}
		}
	})
}

// applyMask writes y = x·keep, or accumulates it (the backward, where
// d(x·keep)/dx = keep, into a gradient that already holds a sum).
func applyMask[F Float](y, x []F, keep []float32, accumulate bool) {
	forRows(len(y), 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if accumulate {
				y[i] += x[i] * F(keep[i])
			} else {
				y[i] = x[i] * F(keep[i])
			}
		}
	})
}

// Dropout zeroes elements of x with probability d.P in training mode and
// scales the rest by 1/(1-P); with d.Train false it returns x itself.
func Dropout(tp *autograd.Tape, x *autograd.Var, d Drop) *autograd.Var {
	if !d.active("dropout") {
		return x
	}
	keep := tp.Empty(x.Shape()...)
	dropMask(keep.Data(), d.P, d.RNG)
	y := tp.Empty(x.Shape()...)
	applyMask(y.Data(), x.Data(), keep.Data(), false)
	return tp.Op("dropout", y, func(out *autograd.Var) {
		if gx, fresh := tp.GradInit(x); gx != nil {
			applyMask(gx, out.Grad.Data(), keep.Data(), !fresh)
		}
	}, x)
}
