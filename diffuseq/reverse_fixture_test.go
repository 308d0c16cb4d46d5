package diffuseq

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/tensor"

	"github.com/diffuseq-go/diffuseq/internal/fixture"
)

// TestRoundFixture: every vector of round/in must snap to exactly the
// embedding row the reference chose.
func TestRoundFixture(t *testing.T) {
	fx := fixture.Open(t)
	r := NewRounder(fx.Tensor("param/word_embedding.weight"))
	got, _ := r.Round(fx.Tensor("round/in"))
	checkF32(t, "round/out", got.Data(), fx.Tensor("round/out").Data(), 0, 1)
}

// TestPMeanVarianceFixture checks p_mean_variance on the 10-step spaced
// process at steps pmv/t. The fixture does not record the network output
// of this call, only the rounded x̂_0 (pmv/pred_xstart); rounding is
// idempotent on embedding rows, so feeding x̂_0 as the model output and
// rounding again must reproduce x̂_0, the mean and the variances.
func TestPMeanVarianceFixture(t *testing.T) {
	fx := fixture.Open(t)
	cfg := DefaultConfig()
	cfg.TimestepRespacing = "10"
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRounder(fx.Tensor("param/word_embedding.weight"))
	x, ts := fx.Tensor("pmv/x"), fx.Ints("pmv/t")
	checkF32(t, "pmv/x = round/in", x.Data(), fx.Tensor("round/in").Data(), 0, 1)
	pred := fx.Tensor("pmv/pred_xstart")
	mv := d.PMeanVariance(pred, x, ts, r.DenoisedFn(), false)
	checkF32(t, "pmv/pred_xstart", mv.PredXStart.Data(), pred.Data(), 0, 1)
	checkF32(t, "pmv/mean", mv.Mean.Data(), fx.Tensor("pmv/mean").Data(), 1e-6, 1)
	variance, logVar := fx.Tensor("pmv/variance"), fx.Tensor("pmv/log_variance")
	for b := range 3 {
		checkF32(t, "pmv/variance", []float32{mv.Variance[b]}, []float32{variance.At(b, 0, 0)}, 0, 1)
		checkF32(t, "pmv/log_variance", []float32{mv.LogVariance[b]}, []float32{logVar.At(b, 0, 0)}, 0, 1)
		// constant over positions and dimensions
		if variance.At(b, 11, 15) != variance.At(b, 0, 0) {
			t.Errorf("pmv/variance not constant within example %d", b)
		}
	}
}

// replay is a Denoiser and a Normal that hand out the network outputs and
// step noises recorded by the reference, step by step, and check that the
// network is queried at the recorded input and time.
type replay struct {
	t        *testing.T
	name     string
	modelOut *tensor.Tensor // (S, B, L, d)
	modelX   *tensor.Tensor // (S, B, L, d) recorded network inputs, or nil
	modelT   []float32      // (S·B) recorded network times, or nil
	noise    *tensor.Tensor // (S, B, L, d) recorded step noise, or nil
	calls    int
}

func (r *replay) PredictXStart(x *tensor.Tensor, ts []float32) *tensor.Tensor {
	i := r.calls
	r.calls++
	if r.modelX != nil {
		checkF32(r.t, r.name+": network input", x.Values(), step(r.modelX, i).Data(), 1e-5, 1)
	}
	if r.modelT != nil {
		for b, tau := range ts {
			if tau != r.modelT[i*len(ts)+b] {
				r.t.Errorf("%s step %d: network time %v, want %v", r.name, i, tau, r.modelT[i*len(ts)+b])
			}
		}
	}
	return step(r.modelOut, i)
}

func (r *replay) FillNormal(x []float32, mean, std float32) {
	if mean != 0 || std != 1 {
		r.t.Fatalf("replay noise asked for N(%v, %v)", mean, std)
	}
	copy(x, step(r.noise, r.calls-1).Data())
}

// TestSample10Fixture replays the 10-step spaced ancestral sampler with
// the recorded network outputs and step noise, and compares the rounded
// x̂_0, every intermediate sample, the final logits and the tokens.
func TestSample10Fixture(t *testing.T) {
	fx := fixture.Open(t)
	cfg := DefaultConfig()
	cfg.TimestepRespacing = "10"
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	emb, bias := fx.Tensor("param/word_embedding.weight"), fx.Tensor("param/lm_head.bias")
	r := NewRounder(emb)
	ids, mask := fx.Ints("data/input_ids"), fx.Ints("data/input_mask")
	xStart := r.Embed(ids, 3, 12)
	checkF32(t, "x_start", xStart.Data(), fx.Tensor("sample10/x_start").Data(), 0, 1)

	xT := DecodingStart(xStart, fx.Tensor("sample10/init_noise"), mask)
	checkF32(t, "x_noised", xT.Data(), fx.Tensor("sample10/x_noised").Data(), 0, 1)

	rp := &replay{t: t, name: "sample10", modelOut: fx.Tensor("sample10/model_out"),
		modelX: fx.Tensor("sample10/model_x"), modelT: fx.Tensor("sample10/model_t").Data(),
		noise: fx.Tensor("sample10/step_noise")}
	opt := &SampleOptions{DenoisedFn: r.DenoisedFn(), ClampFirst: true, Mask: mask, XStart: xStart, Noise: rp}
	roundOut, samples := fx.Tensor("sample10/round_out"), fx.Tensor("sample10/samples")
	loop := 0
	final := d.PSampleLoop(rp, xT, opt, func(s StepOutput) {
		checkF32(t, "round_out", s.PredXStart.Data(), step(roundOut, loop).Data(), 0, 1)
		checkF32(t, "samples", s.Sample.Data(), step(samples, loop).Data(), 1e-5, 1)
		loop++
	})
	if loop != 10 || rp.calls != 10 {
		t.Fatalf("%d steps, %d network calls; want 10", loop, rp.calls)
	}
	tokens, logits := ReadOut(final, emb, bias)
	checkF32(t, "final_logits", logits.Data(), fx.Tensor("sample10/final_logits").Data(), 1e-5, 1)
	checkInts(t, "final_tokens", tokens, fx.Ints("sample10/final_tokens"))
}

// TestDDIM200Fixture replays the reference's DDIM path (--step 200, so
// gap 10, η = 0) with the recorded network outputs.
func TestDDIM200Fixture(t *testing.T) {
	fx := fixture.Open(t)
	d := fixtureDiffusion(t)
	emb, bias := fx.Tensor("param/word_embedding.weight"), fx.Tensor("param/lm_head.bias")
	r := NewRounder(emb)
	ids, mask := fx.Ints("data/input_ids"), fx.Ints("data/input_mask")
	xStart := r.Embed(ids, 3, 12)
	xT := DecodingStart(xStart, fx.Tensor("ddim200/init_noise"), mask)
	checkF32(t, "x_noised", xT.Data(), fx.Tensor("ddim200/x_noised").Data(), 0, 1)
	checkInts(t, "t_index", DDIMSteps(2000, 2000/200), fx.Ints("ddim200/t_index"))

	rp := &replay{t: t, name: "ddim200", modelOut: fx.Tensor("ddim200/model_out")}
	opt := &SampleOptions{DenoisedFn: r.DenoisedFn(), ClampFirst: true, Mask: mask, XStart: xStart, Noise: rp}
	roundOut, samples := fx.Tensor("ddim200/round_out"), fx.Tensor("ddim200/samples")
	loop := 0
	final := d.DDIMSampleLoop(rp, xT, 10, 0, opt, func(s StepOutput) {
		checkF32(t, "round_out", s.PredXStart.Data(), step(roundOut, loop).Data(), 0, 1)
		checkF32(t, "samples", s.Sample.Data(), step(samples, loop).Data(), 1e-5, 1)
		loop++
	})
	if loop != 200 {
		t.Fatalf("%d steps, want 200", loop)
	}
	tokens, _ := ReadOut(final, emb, bias)
	checkInts(t, "final_tokens", tokens, fx.Ints("ddim200/final_tokens"))
}
