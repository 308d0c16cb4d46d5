package diffuseq

import (
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/tensor"

	"github.com/diffuseq-go/diffuseq/internal/fixture"
)

// queueNormal hands out recorded tensors in order, one per FillNormal.
type queueNormal struct {
	t     *testing.T
	queue []*tensor.Tensor
}

func (q *queueNormal) FillNormal(x []float32, mean, std float32) {
	if len(q.queue) == 0 {
		q.t.Fatal("more noise requested than recorded")
	}
	copy(x, q.queue[0].Data())
	if len(x) != q.queue[0].Len() {
		q.t.Fatalf("noise of %d values requested, recorded %d", len(x), q.queue[0].Len())
	}
	q.queue = q.queue[1:]
}

// TestDecodeFixture runs the whole decoder (x_T from the recorded initial
// noise, the loop, the read-out) for the 10-step spaced sampler and the
// reference's 200-step DDIM path, with recorded network outputs.
func TestDecodeFixture(t *testing.T) {
	fx := fixture.Open(t)
	emb, bias := fx.Tensor("param/word_embedding.weight"), fx.Tensor("param/lm_head.bias")
	ids, mask := fx.Ints("data/input_ids"), fx.Ints("data/input_mask")

	cfg := DefaultConfig()
	cfg.TimestepRespacing = "10"
	d10, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	noise := &queueNormal{t: t, queue: []*tensor.Tensor{fx.Tensor("sample10/init_noise")}}
	stepNoise := fx.Tensor("sample10/step_noise")
	for i := range 9 { // the t = 0 draw is multiplied by 0 in the reference and not made here
		noise.queue = append(noise.queue, step(stepNoise, i))
	}
	// The replay checks every network input against the recorded one, so
	// the whole trajectory (noise order included) is verified, not only
	// the tokens (which depend on the last output alone).
	model := &replay{t: t, name: "decode10", modelOut: fx.Tensor("sample10/model_out"),
		modelX: fx.Tensor("sample10/model_x"), modelT: fx.Tensor("sample10/model_t").Data()}
	tokens, _, err := d10.Decode(model, DecodeInputs{InputIDs: ids, Mask: mask, B: 3, L: 12, Emb: emb, Bias: bias, Noise: noise})
	if err != nil {
		t.Fatal(err)
	}
	checkInts(t, "decode10 tokens", tokens, fx.Ints("sample10/final_tokens"))
	if len(noise.queue) != 0 {
		t.Errorf("%d recorded noises unused", len(noise.queue))
	}

	d := fixtureDiffusion(t)
	noise = &queueNormal{t: t, queue: []*tensor.Tensor{fx.Tensor("ddim200/init_noise")}}
	// DDIM inputs: x_noised, then the sample after each step.
	inputs := tensor.New(200, 3, 12, 16)
	copy(inputs.Data(), fx.Tensor("ddim200/x_noised").Data())
	copy(inputs.Data()[3*12*16:], fx.Tensor("ddim200/samples").Data()[:199*3*12*16])
	model = &replay{t: t, name: "ddim200", modelOut: fx.Tensor("ddim200/model_out"), modelX: inputs}
	tokens, _, err = d.Decode(model, DecodeInputs{InputIDs: ids, Mask: mask, B: 3, L: 12, Emb: emb, Bias: bias, Noise: noise, Step: 200})
	if err != nil {
		t.Fatal(err)
	}
	checkInts(t, "ddim200 tokens", tokens, fx.Ints("ddim200/final_tokens"))
	if model.calls != 200 {
		t.Errorf("ddim200 made %d network calls", model.calls)
	}

	_, _, err = d.Decode(model, DecodeInputs{InputIDs: []int{0, 99}, Mask: []int{0, 1}, B: 1, L: 2, Emb: emb, Bias: bias, Noise: noise})
	if err == nil || !strings.Contains(err.Error(), "id 99 at (0, 1)") {
		t.Errorf("bad id error: %v", err)
	}
	_, _, err = d.Decode(model, DecodeInputs{InputIDs: []int{0}, Mask: []int{0}, B: 1, L: 2, Emb: emb, Bias: bias, Noise: noise})
	if err == nil {
		t.Error("short batch accepted")
	}
}
