package train

import (
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// tapeDenoiser runs the model in eval mode without gradients.
type tapeDenoiser struct {
	m  *model.TransformerNetModel
	tp *autograd.Tape
}

func (n tapeDenoiser) PredictXStart(x *tensor.Tensor, tau []float32) *tensor.Tensor {
	n.tp.Reset()
	return n.m.Forward(n.tp, n.tp.Const(x), tau, false).Value.Clone()
}

// TestTrainedV2SamplersConverge trains a tiny v2 model (absorbing state
// and discrete noise) on the synthetic corpus for 120 updates, then
// decodes the validation rows with each fast sampler at growing N from
// one x_T (m + N(0, I) on the target) without rounding, and requires the
// final states to approach the sampler's N = K result (K = 100): the
// deterministic samplers converge to their full-step trajectory. (The
// stochastic ancestral sampler's convergence in distribution is tested
// with exact moments in diffuseq/sampler_convergence_test.go.)
func TestTrainedV2SamplersConverge(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model for ~2 s")
	}
	cfg, tok := tinyRun(t)
	cfg.LearningSteps, cfg.LR = 120, 3e-3
	v, err := NewV2(cfg, PublishedV2Options(), tok)
	if err != nil {
		t.Fatal(err)
	}
	for !v.Done() {
		if _, err := v.Step(); err != nil {
			t.Fatal(err)
		}
	}
	m, d := v.Model, v.Diffusion
	b, l := min(8, v.validDS.Len()), m.Config.SeqLen
	ids, mask := make([]int, b*l), make([]int, b*l)
	for i := range b {
		if err := v.validDS.Row(i, ids[i*l:(i+1)*l], mask[i*l:(i+1)*l]); err != nil {
			t.Fatal(err)
		}
	}
	emb := tensor.FromSlice(m.Params().Get("word_embedding.weight").Data(), m.Config.VocabSize, m.Config.HiddenDim)
	r := diffuseq.NewRounder(emb)
	xStart := r.Embed(ids, b, l)
	noise := tensor.New(xStart.Shape()...)
	tensor.NewRNG(5).FillNormal(noise.Data(), 0, 1)
	me, _ := v.MeanEmbedValues("")
	xT := diffuseq.AbsorbingStart(xStart, noise, mask, me)
	tp := autograd.NewTape()
	tp.SetGrad(false)
	den := tapeDenoiser{m: m, tp: tp}
	run := func(s diffuseq.Sampler, n int) []float32 {
		opt := &diffuseq.SampleOptions{Mask: mask, XStart: xStart, MeanEmbed: me, ClampFirst: true, Noise: tensor.NewRNG(9)}
		x, err := d.SampleWith(den, xT, s, n, opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		return x.Data()
	}
	dist := func(a, c []float32) float64 {
		var s float64
		for i := range a {
			s += (float64(a[i]) - float64(c[i])) * (float64(a[i]) - float64(c[i]))
		}
		return math.Sqrt(s / float64(len(a)))
	}
	k := d.NumTimesteps
	for _, s := range []diffuseq.Sampler{diffuseq.SamplerDDIM, diffuseq.SamplerDPMSolver} {
		full := run(s, k)
		var gaps []float64
		for _, n := range []int{5, 10, 25, 50} {
			gaps = append(gaps, dist(run(s, n), full))
		}
		t.Logf("%s: RMS distance to the %d-step result at 5, 10, 25, 50 steps: %.3g", s, k, gaps)
		if !(gaps[3] < gaps[0]/3) || !(gaps[3] < gaps[1]) {
			t.Errorf("%s: no convergence to the %d-step result: %.3g", s, k, gaps)
		}
	}
}
