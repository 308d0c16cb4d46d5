package diffuseq

import (
	"fmt"
	"strconv"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// Sampler names a reverse-process sampler; it is the common entry point
// of DecodeInputs.Sampler and Diffusion.SampleWith. Every sampler takes a
// number of steps N chosen at decode time, independent of training
// (0 = all K steps of the trained process). See docs/samplers.md.
type Sampler string

const (
	// SamplerReference is the reference decoder (sample_seq2seq.py): the
	// full ancestral loop, or with DecodeInputs.Step < K its inconsistent
	// DDIM path (3.10, [quirk]). It is the zero value.
	SamplerReference Sampler = ""
	// SamplerAncestral is the ancestral (DDPM) sampler on the process
	// respaced to N steps (Respace + PSampleLoop); N = K is the full
	// sampler of the reference.
	SamplerAncestral Sampler = "ancestral"
	// SamplerDDIM is deterministic DDIM (η = 0) on the process respaced to
	// N steps, stepping between kept steps consistently (DDIMLoop).
	SamplerDDIM Sampler = "ddim"
	// SamplerDPMSolver is DPM-Solver++(2M) with N network evaluations
	// (DPMSolverLoop), standard form.
	SamplerDPMSolver Sampler = "dpm-solver++"
	// SamplerDPMSolverReference is DPM-Solver++ with the v2 script's
	// modifications kept (DPMSolverOptions.ReferenceQuirks), for
	// reproduction only.
	SamplerDPMSolverReference Sampler = "dpm-solver++-v2ref"
)

// Samplers lists the accepted names (for flag help).
var Samplers = []Sampler{SamplerAncestral, SamplerDDIM, SamplerDPMSolver, SamplerDPMSolverReference}

// ParseSampler checks a sampler name ("" = the reference decoder).
func ParseSampler(name string) (Sampler, error) {
	s := Sampler(name)
	if s == SamplerReference {
		return s, nil
	}
	for _, ok := range Samplers {
		if s == ok {
			return s, nil
		}
	}
	return "", fmt.Errorf("diffuseq: unknown sampler %q (want ancestral, ddim, dpm-solver++ or dpm-solver++-v2ref)", name)
}

// DefaultDPMSteps is the v2 solver script's step count.
const DefaultDPMSteps = 10

// SamplerPlan resolves (sampler, N) on this base process of K steps: the
// process the sampler runs on (respaced to N steps for the ancestral and
// DDIM samplers) and the number of network evaluations. N = 0 means K for
// the ancestral and DDIM samplers and DefaultDPMSteps for DPM-Solver++.
// N must lie in [1, K].
func (d *Diffusion) SamplerPlan(s Sampler, n int) (*Diffusion, int, error) {
	k := d.NumTimesteps
	if n < 0 || n > k {
		return nil, 0, fmt.Errorf("diffuseq: sampler %q: steps %d outside [0, %d]", s, n, k)
	}
	switch s {
	case SamplerDPMSolver, SamplerDPMSolverReference:
		if d.NumTimesteps != d.OriginalNumSteps {
			return nil, 0, fmt.Errorf("diffuseq: sampler %q needs the trained (not respaced) process", s)
		}
		if n == 0 {
			n = min(DefaultDPMSteps, k)
		}
		return d, n, nil
	case SamplerAncestral, SamplerDDIM:
		if n == 0 || n == k {
			return d, k, nil
		}
		if n < 2 {
			return nil, 0, fmt.Errorf("diffuseq: sampler %q needs at least 2 steps, got %d", s, n)
		}
		keep, err := SpaceTimesteps(k, strconv.Itoa(n))
		if err != nil {
			return nil, 0, err
		}
		r, err := d.Respace(keep)
		return r, n, err
	}
	return nil, 0, fmt.Errorf("diffuseq: SamplerPlan: sampler %q is not a step-count sampler", s)
}

// SampleWith runs sampler s with N steps (see SamplerPlan) from x_T and
// returns the final state (B, L, d). opt is used as by PSampleLoop
// (rounding with ClampStep/ClampFirst, TopP, Mask/XStart, Noise,
// MeanEmbed); DPM-Solver++ ignores DenoisedFn, ClampStep and TopP, as the
// reference's solver script. x_T should come from AbsorbingStart
// (DecodingStart for v1 and for SamplerDPMSolverReference).
func (d *Diffusion) SampleWith(model Denoiser, xT *tensor.Tensor, s Sampler, n int, opt *SampleOptions, each func(StepOutput)) (*tensor.Tensor, error) {
	p, steps, err := d.SamplerPlan(s, n)
	if err != nil {
		return nil, err
	}
	switch s {
	case SamplerAncestral:
		return p.PSampleLoop(model, xT, opt, each), nil
	case SamplerDDIM:
		return p.DDIMLoop(model, xT, opt, each), nil
	default: // the two DPM-Solver++ variants (SamplerPlan refused the rest)
		o := DPMSolverOptions{Steps: steps, ReferenceQuirks: s == SamplerDPMSolverReference}
		return p.DPMSolverLoop(model, xT, o, opt, each), nil
	}
}
