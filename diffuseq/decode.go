package diffuseq

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// DecodeInputs is one decoding batch as sample_seq2seq.py prepares it.
type DecodeInputs struct {
	InputIDs []int          // (B, L) source ++ [SEP] ++ target/pad ids (the target part is ignored)
	Mask     []int          // (B, L) 0 on the source and separator, 1 elsewhere
	B, L     int            //
	Emb      *tensor.Tensor // (V, d) E: rounding table and tied lm_head weight
	Bias     *tensor.Tensor // (V) lm_head bias
	Noise    Normal         // draws x_T's noise first, then the step noises
	TopP     float64        // ≤ 0: plain noise (the decoder's default)
	// ClampStep as in SampleOptions (0 = round at every step); the decoder
	// always uses ClampFirst = true.
	ClampStep int
	// Step < NumTimesteps selects the reference's DDIM path with
	// gap = ⌊K/Step⌋ and η = 0 (3.10, [quirk]); 0 or K runs the full
	// ancestral loop. For a consistent fast sampler use Sampler and
	// Steps instead and leave Step at 0.
	Step int

	// Sampler, if not SamplerReference (""), selects one of the fast
	// samplers of sampler.go with Steps network evaluations (0 = all K;
	// DefaultDPMSteps for DPM-Solver++); Step must then be 0.
	Sampler Sampler
	Steps   int
	// MeanEmbed is a v2 model's absorbing state m (d), or nil: x_T gets
	// m + z on the generated part and every sampler works on x − m
	// (SamplerDPMSolverReference ignores it, as the v2 script).
	MeanEmbed []float32
	// DenoiseRate λ > 0 (with MeanEmbed) adds v2's discrete noise to the
	// ancestral samplers (SampleOptions.DenoiseRate); 0 = off.
	DenoiseRate float64
}

// Decode runs the reference decoder on one batch and returns the token ids
// (B, L) read out with the lm_head argmax, and the final sample (B, L, d):
//
//	x_start = E[w];  x_T = where(m = 0, x_start, N(0, I))   (+ MeanEmbed on m = 1)
//	x_0     = PSampleLoop (or DDIMSampleLoop, or SampleWith for in.Sampler)
//	          with rounding, source re-imposed
//	tokens  = argmax_k (x_0·E_k + b_k)
func (d *Diffusion) Decode(model Denoiser, in DecodeInputs) ([]int, *tensor.Tensor, error) {
	if len(in.InputIDs) != in.B*in.L || len(in.Mask) != in.B*in.L {
		return nil, nil, fmt.Errorf("diffuseq: decode batch has %d ids and %d mask entries for (B, L) = (%d, %d)", len(in.InputIDs), len(in.Mask), in.B, in.L)
	}
	if in.Noise == nil {
		return nil, nil, fmt.Errorf("diffuseq: decode needs a noise source")
	}
	if in.Step < 0 || in.Step > d.NumTimesteps {
		return nil, nil, fmt.Errorf("diffuseq: decode step %d outside [0, %d]", in.Step, d.NumTimesteps)
	}
	r := NewRounder(in.Emb)
	for i, id := range in.InputIDs {
		if id < 0 || id >= in.Emb.Dim(0) {
			return nil, nil, fmt.Errorf("diffuseq: decode input id %d at (%d, %d) outside the vocabulary [0, %d)", id, i/in.L, i%in.L, in.Emb.Dim(0))
		}
	}
	xStart := r.Embed(in.InputIDs, in.B, in.L)
	noise := tensor.New(xStart.Shape()...)
	in.Noise.FillNormal(noise.Data(), 0, 1)
	if in.MeanEmbed != nil && len(in.MeanEmbed) != xStart.Dim(2) {
		return nil, nil, fmt.Errorf("diffuseq: decode mean_embed has %d entries for d = %d", len(in.MeanEmbed), xStart.Dim(2))
	}
	m := in.MeanEmbed
	if in.Sampler == SamplerDPMSolverReference {
		m = nil // [quirk] the v2 solver script starts without the shift
	}
	xT := AbsorbingStart(xStart, noise, in.Mask, m)
	opt := &SampleOptions{DenoisedFn: r.DenoisedFnMasked(in.Mask), TopP: in.TopP, ClampStep: in.ClampStep, ClampFirst: true,
		Mask: in.Mask, XStart: xStart, Noise: in.Noise, MeanEmbed: in.MeanEmbed, DenoiseRate: in.DenoiseRate}
	var x0 *tensor.Tensor
	if in.Sampler != SamplerReference {
		if in.Step != 0 {
			return nil, nil, fmt.Errorf("diffuseq: decode sampler %q takes Steps, not the reference's Step (%d)", in.Sampler, in.Step)
		}
		if _, err := ParseSampler(string(in.Sampler)); err != nil {
			return nil, nil, err
		}
		var err error
		if x0, err = d.SampleWith(model, xT, in.Sampler, in.Steps, opt, nil); err != nil {
			return nil, nil, err
		}
	} else if in.Step == 0 || in.Step == d.NumTimesteps {
		x0 = d.PSampleLoop(model, xT, opt, nil)
	} else {
		x0 = d.DDIMSampleLoop(model, xT, d.NumTimesteps/in.Step, 0, opt, nil)
	}
	tokens, _ := ReadOut(x0, in.Emb, in.Bias)
	return tokens, x0, nil
}
