package diffuseq

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/fixture"
)

// TestTrainingFixture replays the fixture's training forward: embeddings,
// z_0 with the recorded ε_0, q_sample with the recorded ε, and every
// per-example loss term from the recorded model output.
func TestTrainingFixture(t *testing.T) {
	fx := fixture.Open(t)
	d := fixtureDiffusion(t)
	emb, bias := fx.Tensor("param/word_embedding.weight"), fx.Tensor("param/lm_head.bias")
	ids, mask, ts := fx.Ints("train/input_ids"), fx.Ints("train/input_mask"), fx.Ints("train/t")
	checkInts(t, "train/input_ids = data/input_ids", ids, fx.Ints("data/input_ids"))

	e := NewRounder(emb).Embed(ids, 3, 12)
	checkF32(t, "x_start_mean", e.Data(), fx.Tensor("train/x_start_mean").Data(), 0, 1)

	if got, want := float32(d.SqrtOneMinusAlphasCumprod[0]), fx.Tensor("train/std0").Data()[0]; got != want {
		t.Errorf("std0 = %v, want %v", got, want)
	}
	z0 := d.XStartFromEmbeddings(e, fx.Tensor("train/x0_noise"))
	checkF32(t, "x_start", z0.Data(), fx.Tensor("train/x_start").Data(), 0, 1)

	xt := d.QSample(fx.Tensor("train/x_start"), fx.Tensor("train/noise"), ts, mask)
	checkF32(t, "x_t", xt.Data(), fx.Tensor("train/x_t").Data(), 0, 1)

	out := fx.Tensor("train/model_output")
	xStart := fx.Tensor("train/x_start")
	lt := d.TrainingLosses(LossInputs{
		XStartMean:   fx.Tensor("train/x_start_mean"),
		XStart:       xStart,
		ModelOutput:  out,
		LogitsXStart: Logits(xStart, emb, bias),
		LogitsModel:  Logits(out, emb, bias),
		InputIDs:     ids,
		Mask:         mask,
		T:            ts,
	})
	checkF32(t, "mse", lt.MSE, fx.Tensor("train/mse").Data(), 1e-5, 0)
	checkF32(t, "decoder_nll", lt.DecoderNLL, fx.Tensor("train/decoder_nll").Data(), 1e-5, 0)
	checkF32(t, "tT_loss", lt.TTLoss, fx.Tensor("train/tT_loss").Data(), 1e-5, 0)
	checkF32(t, "nll", lt.NLL, fx.Tensor("train/nll").Data(), 1e-5, 0)
	checkF32(t, "loss", lt.Loss, fx.Tensor("train/loss").Data(), 1e-5, 0)
	var mean float32
	for _, v := range lt.Loss {
		mean += v / 3
	}
	checkF32(t, "loss_mean", []float32{mean}, fx.Tensor("train/loss_mean").Data(), 1e-5, 0)

	// The t = 0 rule must matter here: example 0 has t = 0, and its MSE
	// against z_0 differs from the recorded one against e.
	if ts[0] != 0 {
		t.Fatalf("fixture t = %v, expected t[0] = 0", ts)
	}
	plain := MeanSquaredError(xStart, out)[0]
	if relErr(float64(plain), float64(lt.MSE[0]), 0) < 1e-4 {
		t.Errorf("t = 0 rule not exercised: mse vs z_0 %v equals mse vs e %v", plain, lt.MSE[0])
	}
}

// TestLogitsFixture checks the tied lm_head against the fixture's logits
// of the forward pass.
func TestLogitsFixture(t *testing.T) {
	fx := fixture.Open(t)
	emb, bias := fx.Tensor("param/lm_head.weight"), fx.Tensor("param/lm_head.bias")
	got := Logits(fx.Tensor("forward/out"), emb, bias)
	checkF32(t, "forward/logits", got.Data(), fx.Tensor("forward/logits").Data(), 1e-5, 1)
}
