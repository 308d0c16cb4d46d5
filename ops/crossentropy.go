package ops

import (
	"fmt"
	"math"
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("cross_entropy", "fused log-softmax + NLL from logits, per-token mask, none/mean reduction")
}

// Reduction says how CrossEntropy combines the per-token losses.
type Reduction int

const (
	// ReduceNone keeps one loss per token: shape of the logits without the
	// last (vocabulary) dim, masked tokens 0.
	ReduceNone Reduction = iota
	// ReduceMean averages over the tokens whose mask is 1 (all tokens when
	// the mask is nil), giving a scalar.
	ReduceMean
)

// ceBlock bounds the scratch of the fused kernel: rows are processed in
// blocks of about this many logits, so the vocabulary-sized exponentials
// never need a second logits-sized buffer.
const ceBlock = 1 << 18

// crossEntropyFwd computes, per row r of rows×V logits x,
// lse[r] = log Σ_j exp(x[r,j]) and loss[r] = lse[r] - x[r, t_r]. The
// exponentials of each block of rows are one vector-kernel call (k.exp)
// on the scratch, so the hot loop is the asm exp, and the row max is
// subtracted first for stability.
func crossEntropyFwd[F Float](k *kernels[F], loss, lse, x []F, targets []int, rows, V int, scratch []F) {
	per := max(1, len(scratch)/V)
	for r0 := 0; r0 < rows; r0 += per {
		n := min(per, rows-r0)
		xs, sc := x[r0*V:(r0+n)*V], scratch[:n*V]
		mx := lse[r0 : r0+n] // holds the row max until the sums are known
		forRows(n, V, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				m := slices.Max(xs[r*V : (r+1)*V])
				mx[r] = m
				for j, v := range xs[r*V : (r+1)*V] {
					sc[r*V+j] = v - m
				}
			}
		})
		k.exp(sc, sc)
		forRows(n, V, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				var s float64
				for _, e := range sc[r*V : (r+1)*V] {
					s += float64(e)
				}
				l := mx[r] + F(math.Log(s))
				mx[r] = l
				loss[r0+r] = l - xs[r*V+targets[r0+r]]
			}
		})
	}
}

// crossEntropyBwd accumulates gx[r,j] += g[r]·(softmax(x_r)_j - [j = t_r]),
// the gradient of lse - x_t, recomputing the softmax from the saved lse.
func crossEntropyBwd[F Float](k *kernels[F], gx, g, lse, x []F, targets []int, rows, V int, scratch []F) {
	per := max(1, len(scratch)/V)
	for r0 := 0; r0 < rows; r0 += per {
		n := min(per, rows-r0)
		xs, sc := x[r0*V:(r0+n)*V], scratch[:n*V]
		forRows(n, V, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				l := lse[r0+r]
				for j, v := range xs[r*V : (r+1)*V] {
					sc[r*V+j] = v - l
				}
			}
		})
		k.exp(sc, sc) // the softmax
		forRows(n, V, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				gr := g[r0+r]
				if gr == 0 {
					continue
				}
				gxr := gx[(r0+r)*V : (r0+r+1)*V]
				for j, p := range sc[r*V : (r+1)*V] {
					gxr[j] += gr * p
				}
				gxr[targets[r0+r]] -= gr
			}
		})
	}
}

// ceReduce turns per-token losses into the op's output and, given the
// output's gradient, the per-token weights g of the backward.
func ceReduce[F Float](out, loss, mask []F, red Reduction) {
	switch red {
	case ReduceNone:
		for i, l := range loss {
			if mask != nil {
				l *= mask[i]
			}
			out[i] = l
		}
	case ReduceMean:
		var s, w float64
		for i, l := range loss {
			m := 1.0
			if mask != nil {
				m = float64(mask[i])
			}
			s += m * float64(l)
			w += m
		}
		out[0] = F(s / math.Max(w, 1e-30))
	}
}

// ceTokenGrad writes g[i] = d out / d loss[i] times the upstream gradient.
func ceTokenGrad[F Float](g, gout, mask []F, red Reduction) {
	w := float64(len(g))
	if red == ReduceMean && mask != nil {
		w = 0
		for _, m := range mask {
			w += float64(m)
		}
		w = math.Max(w, 1e-30)
	}
	for i := range g {
		m := F(1)
		if mask != nil {
			m = mask[i]
		}
		if red == ReduceNone {
			g[i] = gout[i] * m
		} else {
			g[i] = gout[0] * m / F(w)
		}
	}
}

// CrossEntropy is the fused log-softmax cross-entropy of logits (..., V)
// against integer targets (one per row, in [0, V)). mask (one weight per
// row, typically 0/1) may be nil. With ReduceNone the result has the
// logits' shape minus V (e.g. (B, T) for DiffuSeq's per-token rounding
// loss); with ReduceMean it is the scalar Σ mask·loss / Σ mask.
func CrossEntropy(tp *autograd.Tape, logits *autograd.Var, targets []int, mask []float32, red Reduction) *autograd.Var {
	ls := logits.Shape()
	rows, V := lastDim("cross_entropy", ls)
	if V == 0 || len(targets) != rows || (mask != nil && len(mask) != rows) {
		panic(fmt.Sprintf("ops.cross_entropy: logits %v (%d rows) with %d targets and %d mask values", ls, rows, len(targets), len(mask)))
	}
	for i, t := range targets {
		if t < 0 || t >= V {
			panic(fmt.Sprintf("ops.cross_entropy: target %d at row %d outside [0, %d)", t, i, V))
		}
	}
	lse, loss := tp.Empty(rows), tp.Empty(rows)
	scratch := tp.Empty(min(rows*V, max(V, ceBlock)))
	crossEntropyFwd(k32, loss.Data(), lse.Data(), logits.Data(), targets, rows, V, scratch.Data())
	outShape := []int{}
	if red == ReduceNone {
		outShape = ls[:len(ls)-1]
	}
	y := tp.Empty(outShape...)
	ceReduce(y.Data(), loss.Data(), mask, red)
	return tp.Op("cross_entropy", y, func(out *autograd.Var) {
		gx := tp.Grad(logits)
		if gx == nil {
			return
		}
		g := tp.Empty(rows).Data()
		ceTokenGrad(g, out.Grad.Data(), mask, red)
		crossEntropyBwd(k32, gx, g, lse.Data(), logits.Data(), targets, rows, V, scratch.Data())
	}, logits)
}
