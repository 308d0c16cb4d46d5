package ops

import (
	"fmt"
	"math"

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
// lse[r] = log Σ_j exp(x[r,j]) and loss[r] = lse[r] - x[r, t_r]. Each row
// is one pass of vector kernels on its own scratch row: the max (k.max),
// x - max, the exponentials (k.exp) and their sum (k.sum), so the rows of
// a block run in parallel and the hot loops are the asm ones.
func crossEntropyFwd[F Float](k *kernels[F], loss, lse, x []F, targets []int, rows, V int, scratch []F) {
	per := max(1, len(scratch)/V)
	for r0 := 0; r0 < rows; r0 += per {
		n := min(per, rows-r0)
		forRows(n, 4*V, func(lo, hi int) {
			for r := r0 + lo; r < r0+hi; r++ {
				xr, sc := x[r*V:(r+1)*V], scratch[(r-r0)*V:(r-r0+1)*V]
				m := k.max(xr)
				for j, v := range xr {
					sc[j] = v - m
				}
				k.exp(sc, sc)
				l := m + F(math.Log(float64(k.sum(sc))))
				lse[r] = l
				loss[r] = l - xr[targets[r]]
			}
		})
	}
}

// crossEntropyBwd gives gx[r,j] = g[r]·(softmax(x_r)_j - [j = t_r]), the
// gradient of lse - x_t, recomputing the softmax from the saved lse. With
// set the result is written over gx (a fresh gradient buffer, so it is
// neither zeroed nor read first); otherwise it is added to gx through the
// scratch rows.
func crossEntropyBwd[F Float](k *kernels[F], gx, g, lse, x []F, targets []int, rows, V int, scratch []F, set bool) {
	per := max(1, len(scratch)/V)
	for r0 := 0; r0 < rows; r0 += per {
		n := min(per, rows-r0)
		forRows(n, 4*V, func(lo, hi int) {
			for r := r0 + lo; r < r0+hi; r++ {
				gr, l := g[r], lse[r]
				xr, gxr := x[r*V:(r+1)*V], gx[r*V:(r+1)*V]
				if gr == 0 {
					if set {
						clear(gxr)
					}
					continue
				}
				p := gxr // the softmax, in place when setting
				if !set {
					p = scratch[(r-r0)*V : (r-r0+1)*V]
				}
				for j, v := range xr {
					p[j] = v - l
				}
				k.exp(p, p)
				if set {
					k.scale(gr, gxr)
				} else {
					k.axpy(gr, p, gxr)
				}
				gxr[targets[r]] -= gr
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
		// Row by row, each logit is read before its gradient is written,
		// so the gradient may take the logits' own buffer (GradInPlace).
		gx, fresh := tp.GradInPlace(logits)
		if gx == nil {
			return
		}
		g := tp.Empty(rows).Data()
		ceTokenGrad(g, out.Grad.Data(), mask, red)
		crossEntropyBwd(k32, gx, g, lse.Data(), logits.Data(), targets, rows, V, scratch.Data(), fresh)
	}, logits)
}
