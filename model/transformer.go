// Package model is DiffuSeq's network: the TransformerNetModel of the
// reference (section 2) — a BERT-style post-LN encoder fed noisy word
// embeddings plus a timestep embedding, predicting the clean embeddings
// x_0 — built on the autograd tape and the ops package. Parameters carry
// the official state-dict names so official checkpoints map one to one.
package model

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/ops"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// TransformerNetModel is f_θ(x_t, τ) of reference 2.2.
type TransformerNetModel struct {
	Config Config

	WordEmbedding *autograd.Var // (V, d) E, also the lm_head weight (tied)
	LMHeadBias    *autograd.Var // (V) the lm_head keeps its own bias
	TimeEmbed0W   *autograd.Var // (4·d_t, d_t)
	TimeEmbed0B   *autograd.Var
	TimeEmbed2W   *autograd.Var // (H, 4·d_t)
	TimeEmbed2B   *autograd.Var
	UpProj0W      *autograd.Var // (H, d)
	UpProj0B      *autograd.Var
	UpProj2W      *autograd.Var // (H, H)
	UpProj2B      *autograd.Var
	Layers        []*BertLayer
	PositionEmb   *autograd.Var // (MaxPositions, H)
	LayerNormW    *autograd.Var
	LayerNormB    *autograd.Var
	DownProj0W    *autograd.Var // (H, H)
	DownProj0B    *autograd.Var
	DownProj2W    *autograd.Var // (d, H)
	DownProj2B    *autograd.Var
	MeanEmbed     *autograd.Var // (d) v2's absorbing state, nil unless Config.LearnedMeanEmbed

	// DropoutRNG drives every dropout mask in training mode. Its state is
	// part of a training checkpoint.
	DropoutRNG *tensor.RNG

	// Observe, when set, is called with the intermediate activations at
	// the points the official fixture hooks (emb_t, emb_x,
	// emb_inputs_layernorm, layer{i}_out, encoder_out, out_down_proj), so
	// a test or a student can compare or inspect them. The values are
	// valid only during the call.
	Observe func(name string, v *autograd.Var)
}

func (m *TransformerNetModel) observe(name string, v *autograd.Var) {
	if m.Observe != nil {
		m.Observe(name, v)
	}
}

// New builds a randomly initialised model (reference 2.6) from seed.
func New(c Config, seed uint64) (*TransformerNetModel, error) {
	return build(c, nativeInit{tensor.NewRNG(seed)}, seed)
}

// NewWithTorchRNG builds the model with PyTorch's initial values: the
// parameters are drawn from g in the order and with the formulas of the
// reference's TransformerNetModel constructor, so g seeded as
// torch.manual_seed(s) and advanced past the caller's earlier draws
// reproduces the official code's initial weights (uniforms exactly,
// normals to a few float32 ulp; tested against the official fixture).
// dropoutSeed seeds the dropout masks, which are this package's own.
func NewWithTorchRNG(c Config, g *tensor.TorchRNG, dropoutSeed uint64) (*TransformerNetModel, error) {
	return build(c, torchInit{g}, dropoutSeed)
}

// build creates the parameters in the reference constructor's order,
// which is also the order their draws are taken from src.
func build(c Config, src initSource, seed uint64) (*TransformerNetModel, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	m := &TransformerNetModel{Config: c, DropoutRNG: tensor.NewRNG(seed ^ 0x5eed_d50f)}
	m.WordEmbedding = embeddingParam(src, "word_embedding.weight", c.VocabSize, c.HiddenDim)
	m.LMHeadBias = biasParam(src, "lm_head.bias", c.HiddenDim, c.VocabSize)
	m.TimeEmbed0W, m.TimeEmbed0B = linearParams(src, "time_embed.0", c.HiddenTDim, 4*c.HiddenTDim)
	m.TimeEmbed2W, m.TimeEmbed2B = linearParams(src, "time_embed.2", 4*c.HiddenTDim, c.HiddenSize)
	m.UpProj0W, m.UpProj0B = linearParams(src, "input_up_proj.0", c.HiddenDim, c.HiddenSize)
	m.UpProj2W, m.UpProj2B = linearParams(src, "input_up_proj.2", c.HiddenSize, c.HiddenSize)
	for i := 0; i < c.Layers; i++ {
		m.Layers = append(m.Layers, newBertLayer(src, c, i))
	}
	m.PositionEmb = embeddingParam(src, "position_embeddings.weight", c.MaxPositions, c.HiddenSize)
	m.LayerNormW, m.LayerNormB = layerNormParams("LayerNorm", c.HiddenSize)
	m.DownProj0W, m.DownProj0B = linearParams(src, "output_down_proj.0", c.HiddenSize, c.HiddenSize)
	m.DownProj2W, m.DownProj2B = linearParams(src, "output_down_proj.2", c.HiddenSize, c.HiddenDim)
	if c.LearnedMeanEmbed {
		// N(0, d^{-1/2}) as the v2 reference initialises it (6.2).
		t := tensor.New(c.HiddenDim)
		src.meanEmbed(t.Data())
		m.MeanEmbed = autograd.NewParam("mean_embed", t)
	}
	return m, nil
}

// Params lists every trainable parameter once, in the reference's
// state-dict order (the tied lm_head weight appears as
// word_embedding.weight only, as named_parameters() lists it).
func (m *TransformerNetModel) Params() autograd.Params {
	ps := autograd.Params{m.WordEmbedding, m.LMHeadBias,
		m.TimeEmbed0W, m.TimeEmbed0B, m.TimeEmbed2W, m.TimeEmbed2B,
		m.UpProj0W, m.UpProj0B, m.UpProj2W, m.UpProj2B}
	for _, l := range m.Layers {
		ps = append(ps, l.params()...)
	}
	ps = append(ps, m.PositionEmb, m.LayerNormW, m.LayerNormB,
		m.DownProj0W, m.DownProj0B, m.DownProj2W, m.DownProj2B)
	if m.MeanEmbed != nil {
		ps = append(ps, m.MeanEmbed)
	}
	return ps
}

// Forward is f_θ(x, τ) (reference 2.2): x (B, L, d) noisy embeddings and
// τ (B) network timesteps (already rescaled to the 0–1000 scale) give the
// predicted x_0 (B, L, d). train switches dropout on.
func (m *TransformerNetModel) Forward(tp *autograd.Tape, x *autograd.Var, tau []float32, train bool) *autograd.Var {
	c := m.Config
	sh := x.Shape()
	if len(sh) != 3 || sh[2] != c.HiddenDim || sh[0] != len(tau) || sh[1] > c.MaxPositions {
		panic(fmt.Sprintf("model.Forward: x %v with %d timesteps, want (B, L ≤ %d, %d) and B timesteps", sh, len(tau), c.MaxPositions, c.HiddenDim))
	}
	b, l := sh[0], sh[1]
	drop := func(p float32) ops.Drop { return ops.Drop{P: p, RNG: m.DropoutRNG, Train: train} }

	temb := tp.Const(TimestepEmbedding(tau, c.HiddenTDim)) // (B, d_t)
	temb = ops.Linear(tp, temb, m.TimeEmbed0W, m.TimeEmbed0B)
	temb = ops.Linear(tp, ops.SiLU(tp, temb), m.TimeEmbed2W, m.TimeEmbed2B) // (B, H)
	m.observe("emb_t", temb)

	hIn := ops.Linear(tp, x, m.UpProj0W, m.UpProj0B)
	hIn = ops.Linear(tp, ops.Tanh(tp, hIn), m.UpProj2W, m.UpProj2B) // (B, L, H)
	m.observe("emb_x", hIn)

	pos := ops.Slice(tp, m.PositionEmb, 0, 0, l) // (L, H)
	h := ops.Add(tp, pos, hIn)                   // (B, L, H), position first as the reference adds
	h = ops.Add(tp, h, ops.Reshape(tp, temb, b, 1, c.HiddenSize))
	h = ops.LayerNorm(tp, h, m.LayerNormW, m.LayerNormB, c.LayerNormEps)
	m.observe("emb_inputs_layernorm", h)
	h = ops.Dropout(tp, h, drop(c.Dropout))
	// Without gradients nothing is kept for a backward: after each layer
	// its temporaries and its input go back to the tape for the next one.
	mark := tp.Mark()
	for i, layer := range m.Layers {
		h = tp.Collect(mark, layer.Forward(tp, h, c, drop))
		m.observe(fmt.Sprintf("layer%d_out", i), h)
	}
	m.observe("encoder_out", h)
	out := ops.Linear(tp, h, m.DownProj0W, m.DownProj0B)
	out = ops.Linear(tp, ops.Tanh(tp, out), m.DownProj2W, m.DownProj2B) // (B, L, d)
	m.observe("out_down_proj", out)
	return out
}

// Logits is the lm_head (reference 2.5): h·Eᵀ + b, (B, L, d) → (B, L, V),
// with E the word embedding itself (tied).
func (m *TransformerNetModel) Logits(tp *autograd.Tape, h *autograd.Var) *autograd.Var {
	return ops.Linear(tp, h, m.WordEmbedding, m.LMHeadBias)
}

// Embed looks up the word embeddings of ids (B·L, row-major) as (B, L, d).
func (m *TransformerNetModel) Embed(tp *autograd.Tape, ids []int, b, l int) *autograd.Var {
	return ops.Embedding(tp, m.WordEmbedding, ids, b, l)
}
