package model

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/ops"
)

// BertLayer is one post-LN encoder layer with transformers 4.22 semantics
// (reference 2.4):
//
//	q, k, v = Linear(h) each, split into heads
//	ctx     = Dropout(softmax(q·kᵀ/√D))·v
//	a       = LayerNorm(Dropout(Linear(ctx)) + h)
//	h'      = LayerNorm(Dropout(Linear(GELU(Linear(a)))) + a)
type BertLayer struct {
	QW, QB, KW, KB, VW, VB *autograd.Var // attention.self.{query,key,value}
	AOW, AOB               *autograd.Var // attention.output.dense
	ALNW, ALNB             *autograd.Var // attention.output.LayerNorm
	IW, IB                 *autograd.Var // intermediate.dense (H → FFN)
	OW, OB                 *autograd.Var // output.dense (FFN → H)
	OLNW, OLNB             *autograd.Var // output.LayerNorm
}

func newBertLayer(src initSource, c Config, i int) *BertLayer {
	p := fmt.Sprintf("input_transformers.layer.%d.", i)
	l := &BertLayer{}
	h := c.HiddenSize
	l.QW, l.QB = linearParams(src, p+"attention.self.query", h, h)
	l.KW, l.KB = linearParams(src, p+"attention.self.key", h, h)
	l.VW, l.VB = linearParams(src, p+"attention.self.value", h, h)
	l.AOW, l.AOB = linearParams(src, p+"attention.output.dense", h, h)
	l.ALNW, l.ALNB = layerNormParams(p+"attention.output.LayerNorm", h)
	l.IW, l.IB = linearParams(src, p+"intermediate.dense", h, c.Intermediate)
	l.OW, l.OB = linearParams(src, p+"output.dense", c.Intermediate, h)
	l.OLNW, l.OLNB = layerNormParams(p+"output.LayerNorm", h)
	return l
}

// params lists the layer's parameters in state-dict order.
func (l *BertLayer) params() autograd.Params {
	return autograd.Params{l.QW, l.QB, l.KW, l.KB, l.VW, l.VB, l.AOW, l.AOB, l.ALNW, l.ALNB, l.IW, l.IB, l.OW, l.OB, l.OLNW, l.OLNB}
}

// Forward maps h (B, L, H) to the next hidden state (B, L, H). No
// attention mask: every position attends to every position, pads included,
// as in the reference.
func (l *BertLayer) Forward(tp *autograd.Tape, h *autograd.Var, c Config, drop func(p float32) ops.Drop) *autograd.Var {
	q := ops.Linear(tp, h, l.QW, l.QB)
	k := ops.Linear(tp, h, l.KW, l.KB)
	v := ops.Linear(tp, h, l.VW, l.VB)
	ctx := ops.Attention(tp, q, k, v, ops.AttentionOpts{Heads: c.Heads, Dropout: drop(c.AttnDropout)})
	// Dropout and the residual add write over the Linear output, which
	// nothing else reads (ops.DropoutInPlace, ops.AddInPlace): one
	// (B, L, H) buffer where three would be kept for the backward.
	a := ops.DropoutInPlace(tp, ops.Linear(tp, ctx, l.AOW, l.AOB), drop(c.Dropout))
	a = ops.LayerNorm(tp, ops.AddInPlace(tp, a, h), l.ALNW, l.ALNB, c.LayerNormEps)
	f := ops.GELU(tp, ops.Linear(tp, a, l.IW, l.IB))
	o := ops.DropoutInPlace(tp, ops.Linear(tp, f, l.OW, l.OB), drop(c.Dropout))
	return ops.LayerNorm(tp, ops.AddInPlace(tp, o, a), l.OLNW, l.OLNB, c.LayerNormEps)
}
