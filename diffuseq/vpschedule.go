package diffuseq

import (
	"fmt"
	"math"
)

// VPSchedule is the continuous-time view of a discrete K-step schedule
// that DPM-Solver works in (reference 6.7, the upstream
// NoiseScheduleVP('discrete')): keypoints
//
//	t_n = (n+1)/K,   ℓ_n = ½·ln ᾱ_n,   n = 0..K−1
//
// and ℓ(t) the piecewise-linear interpolation through them (linear
// extrapolation with the end segments outside [1/K, 1]). From ℓ:
//
//	α(t) = e^{ℓ(t)},  σ(t) = √(1 − e^{2ℓ(t)}),  λ(t) = ℓ(t) − ½·ln(1 − e^{2ℓ(t)})
//
// λ is the half log-SNR, the variable the solver integrates in. At a
// keypoint t_n, α(t_n)² = ᾱ_n exactly, so the discrete process and its
// continuous view agree there. Everything is float64 (the reference stores
// the keypoints as float32; see docs/samplers.md).
type VPSchedule struct {
	K        int
	logAlpha []float64 // (K) ℓ_n
}

// VPSchedule builds the continuous view of the base process d. A respaced
// process has no such view (its steps are not evenly spaced in t), so it is
// refused.
func (d *Diffusion) VPSchedule() *VPSchedule {
	if d.NumTimesteps != d.OriginalNumSteps {
		panic(fmt.Sprintf("diffuseq.VPSchedule: process respaced to %d of %d steps; use the base process", d.NumTimesteps, d.OriginalNumSteps))
	}
	s := &VPSchedule{K: d.NumTimesteps, logAlpha: make([]float64, d.NumTimesteps)}
	for n, ac := range d.AlphasCumprod {
		s.logAlpha[n] = 0.5 * math.Log(ac)
	}
	return s
}

// MarginalLogMeanCoeff is ℓ(t) = ln α(t).
func (s *VPSchedule) MarginalLogMeanCoeff(t float64) float64 {
	// keypoint abscissae are (n+1)/K: position p = t·K − 1 in index units.
	p := t*float64(s.K) - 1
	n := int(math.Floor(p))
	n = max(0, min(n, s.K-2)) // end segments extrapolate
	frac := p - float64(n)
	return s.logAlpha[n] + frac*(s.logAlpha[n+1]-s.logAlpha[n])
}

// Alpha is α(t) = e^{ℓ(t)}, the scale of x_0 in x_t.
func (s *VPSchedule) Alpha(t float64) float64 { return math.Exp(s.MarginalLogMeanCoeff(t)) }

// Sigma is σ(t) = √(1 − α(t)²), the std of the noise in x_t.
func (s *VPSchedule) Sigma(t float64) float64 {
	return math.Sqrt(-math.Expm1(2 * s.MarginalLogMeanCoeff(t)))
}

// Lambda is λ(t) = ln(α(t)/σ(t)).
func (s *VPSchedule) Lambda(t float64) float64 {
	l := s.MarginalLogMeanCoeff(t)
	return l - 0.5*math.Log(-math.Expm1(2*l))
}

// TimeUniform is the solver's time grid (skip_type "time_uniform"):
// s_k = 1 + k·(1/K − 1)/steps, k = 0..steps, from t = 1 down to t = 1/K.
func (s *VPSchedule) TimeUniform(steps int) []float64 {
	if steps < 1 {
		panic(fmt.Sprintf("diffuseq.VPSchedule.TimeUniform: %d steps", steps))
	}
	tEnd := 1 / float64(s.K)
	grid := make([]float64, steps+1)
	for k := range grid {
		grid[k] = 1 + float64(k)*(tEnd-1)/float64(steps)
	}
	grid[steps] = tEnd
	return grid
}

// ModelTime is the network time for continuous t: the discrete index
// t·K − 1 (so t_n ↦ n, the index the network was trained at), rescaled to
// 0..1000 like Diffusion.ModelTimestep. The reference's v2 script feeds
// 1000·t instead, half a model-time unit late ([quirk], ModelTimeReference).
func (s *VPSchedule) ModelTime(t float64, rescale bool) float32 {
	idx := t*float64(s.K) - 1
	if rescale {
		return float32(idx * 1000 / float64(s.K))
	}
	return float32(idx)
}

// ModelTimeReference is the v2 script's network time 1000·t ([quirk]).
func (s *VPSchedule) ModelTimeReference(t float64) float32 { return float32(1000 * t) }
