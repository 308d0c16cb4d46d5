package ops

import (
	"fmt"
	"math"
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func init() {
	autograd.Register("attention", "multi-head scaled dot-product attention with additive mask and prob dropout (fused)")
}

// AttentionOpts configures Attention.
type AttentionOpts struct {
	Heads int
	// Mask is added to the scores before the softmax (0 to attend, a large
	// negative number to block); any shape broadcastable to (B, H, T, T),
	// e.g. (B, 1, 1, T) for key padding. nil: every position attends to
	// every position (DiffuSeq's encoder).
	Mask *tensor.Tensor
	// Dropout on the attention probabilities (BERT's
	// attention_probs_dropout_prob, 0.1 in DiffuSeq).
	Dropout Drop
}

// attnShape describes one attention call: q, k, v and y are (B, T, C)
// with C = H·D; head h of batch b is the column block [h·D, (h+1)·D) of
// rows b·T..b·T+T-1, read by the GEMMs with row stride C, so no tensor is
// ever permuted to (B, H, T, D).
type attnShape struct {
	B, T, H, D int
	scale      float64 // 1/√D
	mask       []float32
	maskSt     []int // mask strides indexed by (B, H, T, T), 0 where it repeats
}

func (s *attnShape) C() int { return s.H * s.D }

// attentionFwd computes, per batch b and head h,
//
//	P  = softmax(Q·Kᵀ/√D + mask)   (B, H, T, T)
//	Pd = P·keep                    (dropout; Pd is P when keep is nil)
//	Y  = Pd·V                      written into (B, T, C)
//
// One batched GEMM per head covers all B batches (stride T·C apart).
func attentionFwd[F Float](k *kernels[F], s *attnShape, y, q, kk, v, p, pd []F, keep *keepMask) {
	B, T, H, D, C := s.B, s.T, s.H, s.D, s.C()
	tt := T * T
	for h := 0; h < H; h++ {
		k.gemmBatched(false, true, T, T, D, F(s.scale), q[h*D:], C, T*C, kk[h*D:], C, T*C, 0, p[h*tt:], T, H*tt, B)
	}
	if s.mask != nil {
		addMask(p, s)
	}
	k.softmaxRows(p, p, B*H*T, T)
	if keep != nil {
		applyMask(pd, p, keep, false)
	}
	for h := 0; h < H; h++ {
		k.gemmBatched(false, false, T, D, T, 1, pd[h*tt:], T, H*tt, v[h*D:], C, T*C, 0, y[h*D:], C, T*C, B)
	}
}

// addMask adds the broadcast mask to the (B, H, T, T) scores, row by row.
func addMask[F Float](p []F, s *attnShape) {
	B, H, T := s.B, s.H, s.T
	st := s.maskSt
	forRows(B*H*T, T, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			b, h, i := r/(H*T), r/T%H, r%T
			m := b*st[0] + h*st[1] + i*st[2]
			pr := p[r*T : (r+1)*T]
			for j := range pr {
				pr[j] += F(s.mask[m+j*st[3]])
			}
		}
	})
}

// attentionBwd accumulates gq, gk, gv (any may be nil) from gy (B, T, C);
// dp is (B, H, T, T) scratch (with dropout, the same buffer the forward
// used for Pd: Pd is recomputed here rather than kept). With G = dY:
//
//	Pd  = P·keep;  dV += Pdᵀ·G
//	dPd = G·Vᵀ
//	dP  = dPd·keep
//	dS  = P·(dP - Σ dP·P)          (softmax backward, in place)
//	dQ += dS·K/√D;  dK += dSᵀ·Q/√D
func attentionBwd[F Float](k *kernels[F], s *attnShape, gq, gk, gv, gy, q, kk, v, p, dp []F, keep *keepMask) {
	B, T, H, D, C := s.B, s.T, s.H, s.D, s.C()
	tt := T * T
	if gv != nil {
		pd := p
		if keep != nil {
			pd = dp
			applyMask(pd, p, keep, false)
		}
		for h := 0; h < H; h++ {
			k.gemmBatched(true, false, T, D, T, 1, pd[h*tt:], T, H*tt, gy[h*D:], C, T*C, 1, gv[h*D:], C, T*C, B)
		}
	}
	if gq == nil && gk == nil {
		return
	}
	for h := 0; h < H; h++ {
		k.gemmBatched(false, true, T, T, D, 1, gy[h*D:], C, T*C, v[h*D:], C, T*C, 0, dp[h*tt:], T, H*tt, B)
	}
	if keep != nil {
		applyMask(dp, dp, keep, false)
	}
	softmaxBwd(dp, p, dp, B*H*T, T, false)
	sc := F(s.scale)
	for h := 0; h < H; h++ {
		if gq != nil {
			k.gemmBatched(false, false, T, D, T, sc, dp[h*tt:], T, H*tt, kk[h*D:], C, T*C, 1, gq[h*D:], C, T*C, B)
		}
		if gk != nil {
			k.gemmBatched(true, false, T, D, T, sc, dp[h*tt:], T, H*tt, q[h*D:], C, T*C, 1, gk[h*D:], C, T*C, B)
		}
	}
}

// newAttnShape checks the operands and the mask.
func newAttnShape(qs, ks, vs []int, o *AttentionOpts) *attnShape {
	if len(qs) != 3 || !slices.Equal(qs, ks) || !slices.Equal(qs, vs) || o.Heads <= 0 || qs[2]%o.Heads != 0 {
		panic(fmt.Sprintf("ops.attention: q %v, k %v, v %v with %d heads: want equal (B, T, C) shapes, C divisible by heads", qs, ks, vs, o.Heads))
	}
	s := &attnShape{B: qs[0], T: qs[1], H: o.Heads, D: qs[2] / o.Heads}
	s.scale = 1 / math.Sqrt(float64(s.D))
	if o.Mask != nil {
		full := []int{s.B, s.H, s.T, s.T}
		ms := o.Mask.Shape()
		if len(ms) > 4 || !slices.Equal(broadcastShapeOrNil(ms, full), full) {
			panic(fmt.Sprintf("ops.attention: mask %v does not broadcast to (B, H, T, T) = %v", ms, full))
		}
		s.mask = o.Mask.Contiguous().Data()
		s.maskSt = bcastStrides(ms, full)
	}
	return s
}

func broadcastShapeOrNil(a, b []int) []int {
	s, err := tensor.BroadcastShapes(a, b)
	if err != nil {
		return nil
	}
	return s
}

// Attention is multi-head scaled dot-product attention (BERT's self
// attention after the Q, K, V projections, before the output dense): q, k
// and v are (B, T, C) and the result is (B, T, C), heads side by side as
// PyTorch's view(B, T, H, D) lays them out. Forward and backward are fused
// around batched GEMMs; the (B, H, T, T) probabilities (and with dropout
// its mask) are kept for the backward, which reuses the forward's
// dropped-probabilities buffer as its scratch.
func Attention(tp *autograd.Tape, q, k, v *autograd.Var, o AttentionOpts) *autograd.Var {
	s := newAttnShape(q.Shape(), k.Shape(), v.Shape(), &o)
	probs := []int{s.B, s.H, s.T, s.T}
	p := tp.Empty(probs...).Data()
	pd := p // the dropped probabilities; later the backward's scratch
	var keep *keepMask
	if o.Dropout.active("attention") {
		keep = tapeKeepMask(tp, numel(probs))
		dropMask(keep, o.Dropout.P, o.Dropout.RNG)
		pd = tp.Empty(probs...).Data()
	}
	y := tp.Empty(q.Shape()...)
	attentionFwd(k32, s, y.Data(), q.Data(), k.Data(), v.Data(), p, pd, keep)
	return tp.Op("attention", y, func(out *autograd.Var) {
		dp := pd
		if keep == nil {
			dp = tp.Empty(probs...).Data()
		}
		attentionBwd(k32, s, tp.Grad(q), tp.Grad(k), tp.Grad(v), out.Grad.Data(), q.Data(), k.Data(), v.Data(), p, dp, keep)
	}, q, k, v)
}
