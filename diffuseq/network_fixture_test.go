package diffuseq_test

// End-to-end sampling parity with the real network: the fixture's tiny
// TransformerNetModel (model/, loaded from param/*) drives our samplers
// with the recorded step noise, and the trajectory and tokens are compared
// with the reference's.

import (
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/internal/fixture"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func openNetFixture(t *testing.T) (fixture.File, diffuseq.Denoiser) {
	t.Helper()
	fx := fixture.Open(t)
	cfg := model.Config{VocabSize: 50, HiddenDim: 16, HiddenTDim: 16, HiddenSize: 32, Layers: 2, Heads: 2,
		Intermediate: 128, MaxPositions: 512, Dropout: 0.1, AttnDropout: 0.1, LayerNormEps: 1e-12, SeqLen: 12}
	m, err := model.New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.LoadStateDict(fx.Safetensors(), "param/"); err != nil {
		t.Fatal(err)
	}
	return fx, netDenoiser{m: m, tp: autograd.NewTape()}
}

// netDenoiser runs the model in eval mode (no dropout) without gradients,
// rewinding its tape before every call.
type netDenoiser struct {
	m  *model.TransformerNetModel
	tp *autograd.Tape
}

func (n netDenoiser) PredictXStart(xT *tensor.Tensor, tau []float32) *tensor.Tensor {
	n.tp.Reset()
	n.tp.SetGrad(false)
	return n.m.Forward(n.tp, n.tp.Const(xT), tau, false).Value.Clone()
}

// stepNoise replays the recorded per-step noise; the sampler only draws
// at t > 0, so the draw for loop position i is the i-th draw.
type stepNoise struct {
	t     *testing.T
	noise *tensor.Tensor // (S, B, L, d)
	i     int
}

func (s *stepNoise) FillNormal(x []float32, mean, std float32) {
	n := len(x)
	if s.i*n >= s.noise.Len() {
		s.t.Fatalf("noise draw %d beyond the recorded %v", s.i, s.noise.Shape())
	}
	copy(x, s.noise.Data()[s.i*n:(s.i+1)*n])
	s.i++
}

// samplerSetup is what the sampler parity tests share: the tied
// embedding and lm_head bias, and options that round with the reference's
// denoised_fn, keep the fixture's source and, for prefix != "", replay
// prefix/step_noise.
func samplerSetup(t *testing.T, fx fixture.File, prefix string) (emb, bias *tensor.Tensor, opt *diffuseq.SampleOptions) {
	emb, bias = fx.Tensor("param/word_embedding.weight"), fx.Tensor("param/lm_head.bias")
	r := diffuseq.NewRounder(emb)
	opt = &diffuseq.SampleOptions{DenoisedFn: r.DenoisedFn(), ClampFirst: true, Mask: fx.Ints("data/input_mask"),
		XStart: r.Embed(fx.Ints("data/input_ids"), 3, 12)}
	if prefix != "" {
		opt.Noise = &stepNoise{t: t, noise: fx.Tensor(prefix + "/step_noise")}
	}
	return emb, bias, opt
}

// maxRelDiff is max|got − want| / max(max|want|, 1).
func maxRelDiff(got, want []float32) float64 {
	var diff, scale float64 = 0, 1
	for i := range want {
		diff = math.Max(diff, math.Abs(float64(got[i])-float64(want[i])))
		scale = math.Max(scale, math.Abs(float64(want[i])))
	}
	if len(got) != len(want) {
		return math.Inf(1)
	}
	return diff / scale
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSample10Network: the 10-step spaced sampler with the real network.
func TestSample10Network(t *testing.T) {
	fx, net := openNetFixture(t)
	cfg := diffuseq.DefaultConfig()
	cfg.TimestepRespacing = "10"
	d, err := diffuseq.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	emb, bias, opt := samplerSetup(t, fx, "sample10")
	xT := fx.Tensor("sample10/x_noised")
	modelOut, samples := fx.Tensor("sample10/model_out"), fx.Tensor("sample10/samples")
	per := 3 * 12 * 16
	i := 0
	worstOut, worstSample := 0.0, 0.0
	final := d.PSampleLoop(net, xT, opt, func(s diffuseq.StepOutput) {
		eo := maxRelDiff(s.ModelOutput.Values(), modelOut.Data()[i*per:(i+1)*per])
		es := maxRelDiff(s.Sample.Values(), samples.Data()[i*per:(i+1)*per])
		if eo > 1e-5 || es > 1e-5 {
			t.Errorf("step %d: network output differs by %.3g, sample by %.3g", i, eo, es)
		}
		worstOut, worstSample = math.Max(worstOut, eo), math.Max(worstSample, es)
		i++
	})
	t.Logf("worst network-output difference %.3g, sample difference %.3g", worstOut, worstSample)
	tokens, _ := diffuseq.ReadOut(final, emb, bias)
	if want := fx.Ints("sample10/final_tokens"); !sameInts(tokens, want) {
		t.Errorf("tokens %v, want %v", tokens, want)
	}
}

// TestSample2000Network: the paper's full 2000-step ancestral sampler
// with the real network and the recorded 2000 step noises; the samples at
// the 21 kept loop positions and the final tokens must match.
func TestSample2000Network(t *testing.T) {
	fx, net := openNetFixture(t)
	d, err := diffuseq.New(diffuseq.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	emb, bias, opt := samplerSetup(t, fx, "sample2000")
	xT := fx.Tensor("sample2000/x_noised")
	kept, samples := fx.Ints("sample2000/kept_loop_index"), fx.Tensor("sample2000/samples")
	per := 3 * 12 * 16
	loop, k := 0, 0
	worst := 0.0
	final := d.PSampleLoop(net, xT, opt, func(s diffuseq.StepOutput) {
		if k < len(kept) && kept[k] == loop {
			e := maxRelDiff(s.Sample.Values(), samples.Data()[k*per:(k+1)*per])
			worst = math.Max(worst, e)
			if e > 1e-5 {
				t.Errorf("loop position %d (t = %d): sample differs by %.3g", loop, s.T, e)
			}
			k++
		}
		loop++
	})
	t.Logf("worst kept-sample difference %.3g over %d kept positions", worst, k)
	if k != len(kept) {
		t.Errorf("visited %d of %d kept positions", k, len(kept))
	}
	tokens, _ := diffuseq.ReadOut(final, emb, bias)
	if want := fx.Ints("sample2000/final_tokens"); !sameInts(tokens, want) {
		t.Errorf("tokens %v, want %v", tokens, want)
	}
}

// TestDDIM200Network: the reference's DDIM path (--step 200: gap 10,
// η = 0) with the real network; every sample and the tokens must match.
func TestDDIM200Network(t *testing.T) {
	fx, net := openNetFixture(t)
	d, err := diffuseq.New(diffuseq.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	emb, bias, opt := samplerSetup(t, fx, "") // DDIM draws no noise
	samples := fx.Tensor("ddim200/samples")
	per := 3 * 12 * 16
	i := 0
	worst := 0.0
	final := d.DDIMSampleLoop(net, fx.Tensor("ddim200/x_noised"), 10, 0, opt, func(s diffuseq.StepOutput) {
		e := maxRelDiff(s.Sample.Values(), samples.Data()[i*per:(i+1)*per])
		if e > 1e-5 {
			t.Errorf("step %d (t = %d): sample differs by %.3g", i, s.T, e)
		}
		worst = math.Max(worst, e)
		i++
	})
	t.Logf("worst sample difference %.3g over %d steps", worst, i)
	tokens, _ := diffuseq.ReadOut(final, emb, bias)
	if want := fx.Ints("ddim200/final_tokens"); !sameInts(tokens, want) {
		t.Errorf("tokens %v, want %v", tokens, want)
	}
}

// TestTrainingLossesNetwork: the whole training forward of 3.5 from the
// recorded noises — z_0, q_sample, the real network, the loss terms.
func TestTrainingLossesNetwork(t *testing.T) {
	fx, net := openNetFixture(t)
	d, err := diffuseq.New(diffuseq.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	emb, bias := fx.Tensor("param/word_embedding.weight"), fx.Tensor("param/lm_head.bias")
	ids, mask, ts := fx.Ints("train/input_ids"), fx.Ints("train/input_mask"), fx.Ints("train/t")
	e := diffuseq.NewRounder(emb).Embed(ids, 3, 12)
	z0 := d.XStartFromEmbeddings(e, fx.Tensor("train/x0_noise"))
	xt := d.QSample(z0, fx.Tensor("train/noise"), ts, mask)
	out := net.PredictXStart(xt, d.ModelTimesteps(ts))
	if e := maxRelDiff(out.Values(), fx.Tensor("train/model_output").Data()); e > 1e-5 {
		t.Errorf("model output differs by %.3g", e)
	} else {
		t.Logf("model output differs by %.3g", e)
	}
	lt := d.TrainingLosses(diffuseq.LossInputs{XStartMean: e, XStart: z0, ModelOutput: out,
		LogitsXStart: diffuseq.Logits(z0, emb, bias), LogitsModel: diffuseq.Logits(out, emb, bias),
		InputIDs: ids, Mask: mask, T: ts})
	want := fx.Tensor("train/loss").Data()
	worst := 0.0
	for i := range want {
		e := math.Abs(float64(lt.Loss[i]-want[i])) / math.Abs(float64(want[i]))
		if e > 1e-5 {
			t.Errorf("loss[%d] = %v, want %v", i, lt.Loss[i], want[i])
		}
		worst = math.Max(worst, e)
	}
	t.Logf("loss: worst relative difference %.3g", worst)
	obj := diffuseq.Objective(lt.Loss, []float32{1, 1, 1})
	if w := fx.Tensor("train/loss_mean").Data()[0]; math.Abs(float64(obj-w)) > 1e-5*float64(w) {
		t.Errorf("objective %v, want loss_mean %v", obj, w)
	}
}
