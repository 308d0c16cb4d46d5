package model

import (
	"math"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// The reference builds the model from plain PyTorch modules and keeps
// their default initialisation (reference 2.6): BERT's N(0, 0.02) is NOT
// applied because the encoder is not a PreTrainedModel.
//
// Where the draws come from is an initSource: this package's own RNG
// (New) or PyTorch's generator stream (NewWithTorchRNG), which must then
// be consumed exactly as the PyTorch module constructors consume it.

// initSource draws the initial parameters in construction order.
type initSource interface {
	// linearWeight and linearBias fill an nn.Linear(in, ·)'s weight and
	// bias with U(−1/√in, 1/√in) (Kaiming-uniform with a = √5 gives that
	// bound for the weight).
	linearWeight(w []float32, in int)
	linearBias(b []float32, in int)
	// tiedWeight accounts for the draws of an nn.Linear weight of n
	// elements that the model then replaces (the lm_head, tied to E).
	tiedWeight(n int)
	// normal fills nn.Embedding weights: N(0, 1).
	normal(x []float32)
	// meanEmbed fills DiffuSeq-v2's absorbing state: N(0, d^{-1/2}).
	meanEmbed(x []float32)
}

// nativeInit draws from tensor.RNG: one stream, identical on every
// platform, and nothing drawn for values that are thrown away.
type nativeInit struct{ rng *tensor.RNG }

func (s nativeInit) linearWeight(w []float32, in int) { s.uniform(w, in) }
func (s nativeInit) linearBias(b []float32, in int)   { s.uniform(b, in) }
func (s nativeInit) tiedWeight(int)                   {}
func (s nativeInit) normal(x []float32)               { s.rng.FillNormal(x, 0, 1) }

func (s nativeInit) meanEmbed(x []float32) {
	s.rng.FillNormal(x, 0, float32(1/math.Sqrt(float64(len(x)))))
}

func (s nativeInit) uniform(x []float32, in int) {
	bound := float32(1 / math.Sqrt(float64(in)))
	s.rng.FillUniform(x, -bound, bound)
}

// torchInit replays PyTorch's module constructors on its CPU generator:
// nn.Linear's kaiming_uniform_(a=√5) bound √3·(√(2/6)/√in) and bias bound
// 1/√in in double, then uniform_ in float32; nn.Embedding's normal_; the
// lm_head weight drawn and discarded; v2's mean_embed drawn by th.randn
// and then redrawn by normal_(0, d^-0.5).
type torchInit struct{ g *tensor.TorchRNG }

func (s torchInit) linearWeight(w []float32, in int) {
	bound := math.Sqrt(3) * (math.Sqrt(2.0/6) / math.Sqrt(float64(in)))
	s.g.FillUniform(w, -bound, bound)
}

func (s torchInit) linearBias(b []float32, in int) {
	bound := 1 / math.Sqrt(float64(in))
	s.g.FillUniform(b, -bound, bound)
}

func (s torchInit) tiedWeight(n int)   { s.g.Skip(n) } // uniform_: one word per element
func (s torchInit) normal(x []float32) { s.g.FillNormal(x, 0, 1) }

func (s torchInit) meanEmbed(x []float32) {
	s.g.SkipNormal(len(x))
	s.g.FillNormal(x, 0, math.Pow(float64(len(x)), -0.5))
}

// linearParams makes an nn.Linear(in, out): weight (out, in) and bias (out).
func linearParams(src initSource, name string, in, out int) (w, b *autograd.Var) {
	wt := tensor.New(out, in)
	src.linearWeight(wt.Data(), in)
	bt := tensor.New(out)
	src.linearBias(bt.Data(), in)
	return autograd.NewParam(name+".weight", wt), autograd.NewParam(name+".bias", bt)
}

// biasParam makes the bias of an nn.Linear(in, out) whose weight lives
// elsewhere (the lm_head, tied to the word embedding).
func biasParam(src initSource, name string, in, out int) *autograd.Var {
	src.tiedWeight(out * in)
	t := tensor.New(out)
	src.linearBias(t.Data(), in)
	return autograd.NewParam(name, t)
}

// embeddingParam makes an nn.Embedding(n, dim): N(0, 1).
func embeddingParam(src initSource, name string, n, dim int) *autograd.Var {
	t := tensor.New(n, dim)
	src.normal(t.Data())
	return autograd.NewParam(name, t)
}

// layerNormParams makes a LayerNorm(dim): weight 1, bias 0.
func layerNormParams(name string, dim int) (w, b *autograd.Var) {
	return autograd.NewParam(name+".weight", tensor.Full(1, dim)), autograd.NewParam(name+".bias", tensor.New(dim))
}
