package ops

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// A miniature of DiffuSeq's training loss, built from the ops the model
// uses: the word embedding E embeds the tokens and is the lm_head weight,
// positions are added by broadcasting, the input passes a Linear-Tanh-
// Linear projection, a post-LN encoder layer and a SiLU; the loss mixes a
// masked MSE (where) and the per-token rounding cross-entropy. The whole
// graph's gradients are checked by float32 central differences.
func TestTiedMiniModelGradCheck(t *testing.T) {
	const B, T, C, V, H = 2, 4, 8, 11, 2
	rng := tensor.NewRNG(21)
	param := func(name string, std float32, shape ...int) *autograd.Var {
		x := tensor.New(shape...)
		rng.FillNormal(x.Data(), 0, std)
		return autograd.NewParam(name, x)
	}
	E := param("word_embedding.weight", 0.5, V, C)
	lmBias := param("lm_head.bias", 0.1, V)
	pos := param("position_embeddings.weight", 0.2, T, C)
	up1, up1b := param("input_up_proj.0.weight", 0.4, C, C), param("input_up_proj.0.bias", 0.1, C)
	up2, up2b := param("input_up_proj.2.weight", 0.4, C, C), param("input_up_proj.2.bias", 0.1, C)
	layer := newEncoderLayer(rng, "encoder.layer.0", C, 2*C)
	params := append(autograd.Params{E, lmBias, pos, up1, up1b, up2, up2b}, layer.params()...)
	params.Check()

	ids := make([]int, B*T)
	for i := range ids {
		ids[i] = rng.Intn(V)
	}
	noise := randTensor(rng, B, T, C)
	srcMask := tensor.FromSlice([]float32{1, 1, 0, 0, 1, 0, 0, 0}, B, T, 1) // 1 = source (kept clean)
	tokMask := []float32{0, 0, 1, 1, 0, 1, 1, 1}

	buildWith := func(tp *autograd.Tape, lmW *autograd.Var) *autograd.Var {
		xStart := Embedding(tp, E, ids, B, T)                              // (B, T, C)
		xT := Where(tp, srcMask, xStart, Add(tp, xStart, tp.Const(noise))) // noise the target part only
		h := Linear(tp, Tanh(tp, Linear(tp, xT, up1, up1b)), up2, up2b)
		h = Add(tp, h, pos) // (B, T, C) + (T, C)
		h = layer.forward(tp, h, encoderCfg{heads: H, dropP: 0.1, rng: tensor.NewRNG(5), eps: LayerNormEps})
		h = SiLU(tp, h)
		mse := MSE(tp, h, xStart)                                              // (B)
		logits := Linear(tp, h, lmW, lmBias)                                   // (B, T, V); tied when lmW is E
		nll := Mean(tp, CrossEntropy(tp, logits, ids, tokMask, ReduceNone), 1) // (B)
		return Mean(tp, Add(tp, mse, nll), 0)
	}
	build := func(tp *autograd.Tape) *autograd.Var { return buildWith(tp, E) }
	tp := autograd.NewTape()
	worst, at := autograd.GradCheck(tp, build, params, 1e-2, 6, rng)
	t.Logf("worst relative error %.3g at %s", worst, at)
	if worst > 3e-2 {
		t.Fatalf("tied mini model: worst relative error %.3g at %s", worst, at)
	}
	// The tie: E's gradient is the sum of the embedding's scatter-add and
	// the lm_head's contribution, which an untied copy separates.
	tp.Reset()
	params.ZeroGrad()
	tp.Backward(build(tp))
	tied := E.Grad.Values()
	lmW := autograd.NewParam("lm_head.weight", E.Value.Clone())
	tp.Reset()
	params.ZeroGrad()
	tp.Backward(buildWith(tp, lmW))
	for i, g := range tied {
		if sum := E.Grad.Data()[i] + lmW.Grad.Data()[i]; abs32(sum-g) > 1e-5*(1+abs32(g)) {
			t.Fatalf("tied grad[%d] = %v, embedding + lm_head parts = %v", i, g, sum)
		}
	}
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
