package generate

import (
	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// netDenoiser runs the network f_θ on one tape with gradients off. The
// tape is rewound before every call, so all steps of a decode reuse the
// same buffers; the output is copied out of the arena first, because the
// sampler keeps it past the next call.
type netDenoiser struct {
	m  *model.TransformerNetModel
	tp *autograd.Tape
}

// NewDenoiser wraps m as a diffuseq.Denoiser (eval mode: no dropout) on a
// tape of its own. The result is not safe for concurrent use; make one per
// goroutine (the model itself may be shared).
func NewDenoiser(m *model.TransformerNetModel) diffuseq.Denoiser {
	tp := autograd.NewTape()
	tp.SetGrad(false)
	return netDenoiser{m: m, tp: tp}
}

// PredictXStart is x̂_0 = f_θ(x_t, τ): xT (B, L, d), tau (B) → (B, L, d).
func (n netDenoiser) PredictXStart(xT *tensor.Tensor, tau []float32) *tensor.Tensor {
	n.tp.Reset()
	out := n.m.Forward(n.tp, n.tp.Const(xT), tau, false)
	return out.Value.Clone()
}
