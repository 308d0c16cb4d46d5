package ops

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func attentionCheck(t *testing.T, rng *tensor.RNG, maskShape []int, dropP float32) {
	B, T, H, D := randDim(rng, 2), randDim(rng, 4), randDim(rng, 2), randDim(rng, 3)
	C := H * D
	full := []int{B, H, T, T}
	var mask *tensor.Tensor
	if maskShape != nil {
		ms := make([]int, len(maskShape))
		for i, m := range maskShape { // 1 stays 1, 0 takes the full size
			ms[i] = m
			if m == 0 {
				ms[i] = full[4-len(maskShape)+i]
			}
		}
		mask = randTensor(rng, ms...)
	}
	seed := rng.Uint64()
	opts := func() AttentionOpts {
		return AttentionOpts{Heads: H, Mask: mask, Dropout: Drop{P: dropP, RNG: tensor.NewRNG(seed), Train: true}}
	}
	shape := func(x [][]float64) (*attnShape, *keepMask) {
		o := opts()
		s := newAttnShape([]int{B, T, C}, []int{B, T, C}, []int{B, T, C}, &o)
		var keep *keepMask
		if dropP > 0 {
			keep = newKeepMask(B * H * T * T)
			dropMask(keep, dropP, o.Dropout.RNG)
		}
		return s, keep
	}
	fwd := func(x [][]float64) (y, p, pd []float64) {
		s, keep := shape(x)
		y, p, pd = make([]float64, B*T*C), make([]float64, B*H*T*T), make([]float64, B*H*T*T)
		if keep == nil {
			pd = p
		}
		attentionFwd(k64, s, y, x[0], x[1], x[2], p, pd, keep)
		return y, p, pd
	}
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, B, T, C), randTensor(rng, B, T, C), randTensor(rng, B, T, C)},
		f64: func(x [][]float64) []float64 {
			y, _, _ := fwd(x)
			return y
		},
		b64: func(x [][]float64, gy []float64, gx [][]float64) {
			_, p, _ := fwd(x)
			s, keep := shape(x)
			attentionBwd(k64, s, gx[0], gx[1], gx[2], gy, x[0], x[1], x[2], p, make([]float64, len(p)), keep)
		},
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var {
			return Attention(tp, x[0], x[1], x[2], opts())
		},
	})
}

var _ = addCheck("attention", func(t *testing.T, rng *tensor.RNG) {
	attentionCheck(t, rng, nil, 0)
	attentionCheck(t, rng, []int{0, 1, 1, 0}, 0)   // (B, 1, 1, T): key padding
	attentionCheck(t, rng, []int{0, 0}, 0.3)       // (T, T) with dropout
	attentionCheck(t, rng, []int{0, 0, 0, 0}, 0.5) // full mask
})

// A -1e9 mask entry removes that key: its probability is 0 and the key
// and value at that position get no gradient from that query.
func TestAttentionMaskBlocksKeys(t *testing.T) {
	rng := tensor.NewRNG(3)
	B, T, C := 1, 3, 4
	mask := tensor.FromSlice([]float32{0, 0, -1e9}, 1, 1, 1, T) // last key blocked
	tp := autograd.NewTape()
	q, k, v := autograd.NewParam("q", randTensor(rng, B, T, C)), autograd.NewParam("k", randTensor(rng, B, T, C)), autograd.NewParam("v", randTensor(rng, B, T, C))
	y := Attention(tp, q, k, v, AttentionOpts{Heads: 2, Mask: mask})
	tp.Backward(Sum(tp, y, 0))
	for j := 0; j < C; j++ {
		if g := k.Grad.At(0, T-1, j); g != 0 {
			t.Fatalf("blocked key got gradient %v", g)
		}
		if g := v.Grad.At(0, T-1, j); g != 0 {
			t.Fatalf("blocked value got gradient %v", g)
		}
	}
}

func TestAttentionBadMaskPanics(t *testing.T) {
	tp := autograd.NewTape()
	x := autograd.NewConst(tensor.New(2, 3, 4))
	defer func() {
		msg, _ := recover().(string)
		if msg != "ops.attention: mask [3 3 3] does not broadcast to (B, H, T, T) = [2 2 3 3]" {
			t.Fatalf("panic %q", msg)
		}
	}()
	Attention(tp, x, x, x, AttentionOpts{Heads: 2, Mask: tensor.New(3, 3, 3)})
}
