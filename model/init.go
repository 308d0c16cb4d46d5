package model

import (
	"math"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// The reference builds the model from plain PyTorch modules and keeps
// their default initialisation (reference 2.6): BERT's N(0, 0.02) is NOT
// applied because the encoder is not a PreTrainedModel.

// linearParams makes an nn.Linear(in, out): weight (out, in) and bias (out)
// both ~ U(−1/√in, 1/√in) (Kaiming-uniform with a = √5 gives that bound).
func linearParams(rng *tensor.RNG, name string, in, out int) (w, b *autograd.Var) {
	bound := float32(1 / math.Sqrt(float64(in)))
	wt := tensor.New(out, in)
	rng.FillUniform(wt.Data(), -bound, bound)
	bt := tensor.New(out)
	rng.FillUniform(bt.Data(), -bound, bound)
	return autograd.NewParam(name+".weight", wt), autograd.NewParam(name+".bias", bt)
}

// biasParam makes the bias of an nn.Linear(in, out) whose weight lives
// elsewhere (the lm_head, tied to the word embedding): U(−1/√in, 1/√in).
func biasParam(rng *tensor.RNG, name string, in, out int) *autograd.Var {
	bound := float32(1 / math.Sqrt(float64(in)))
	t := tensor.New(out)
	rng.FillUniform(t.Data(), -bound, bound)
	return autograd.NewParam(name, t)
}

// embeddingParam makes an nn.Embedding(n, dim): N(0, 1).
func embeddingParam(rng *tensor.RNG, name string, n, dim int) *autograd.Var {
	t := tensor.New(n, dim)
	rng.FillNormal(t.Data(), 0, 1)
	return autograd.NewParam(name, t)
}

// layerNormParams makes a LayerNorm(dim): weight 1, bias 0.
func layerNormParams(name string, dim int) (w, b *autograd.Var) {
	return autograd.NewParam(name+".weight", tensor.Full(1, dim)), autograd.NewParam(name+".bias", tensor.New(dim))
}
