package diffuseq

import (
	"fmt"
	"math"
)

// Schedule names accepted by NamedBetaSchedule (reference section 3.1; the
// last one is from the DiffuSeq-v2 branch, section 6.5).
const (
	ScheduleSqrt        = "sqrt"
	ScheduleLinear      = "linear"
	ScheduleCosine      = "cosine"
	ScheduleTruncCos    = "trunc_cos"
	ScheduleTruncLin    = "trunc_lin"
	SchedulePwLin       = "pw_lin"
	ScheduleWarmupDecay = "warmup-decay"
)

// maxBeta is the clip applied by betasForAlphaBar: a beta of 1 would make
// ᾱ vanish and every later coefficient divide by zero.
const maxBeta = 0.999

// NamedBetaSchedule returns the K raw betas β_0..β_{K-1} of a named
// schedule, in float64, computed exactly as the reference does:
//
//	sqrt:       betasForAlphaBar with f(s) = 1 − √(s + 0.0001)   (the paper's)
//	linear:     s = 1000/K; linspace(s·1e-4, s·0.02, K)
//	cosine:     betasForAlphaBar with f(s) = cos²((s + 0.008)/1.008 · π/2)
//	trunc_cos:  betasForAlphaBarLeft with f(s) = cos²((s + 0.1)/1.1 · π/2)
//	trunc_lin:  s = 1000/K; linspace(s·1e-4 + 0.01, s·0.02 + 0.01, K)
//	pw_lin:     s = 1000/K; linspace(s·1e-4+0.01, s·1e-4, 10) ++ linspace(s·1e-4, s·0.02, K−10)
//	warmup-decay (v2): the sqrt betas with the last w = max(1, ⌊0.1·K⌋)
//	            replaced by linspace(β_sqrt[K−w], 0.0001, w)
//
// An unknown name or K < 1 is a configuration error.
func NamedBetaSchedule(name string, steps int) ([]float64, error) {
	if steps < 1 {
		return nil, fmt.Errorf("diffuseq: noise schedule %q: diffusion_steps must be >= 1, got %d", name, steps)
	}
	scale := 1000 / float64(steps)
	switch name {
	case ScheduleSqrt:
		return betasForAlphaBar(steps, sqrtAlphaBar), nil
	case ScheduleLinear:
		return linspace(scale*0.0001, scale*0.02, steps), nil
	case ScheduleCosine:
		return betasForAlphaBar(steps, func(s float64) float64 {
			c := math.Cos((s + 0.008) / 1.008 * math.Pi / 2)
			return float64(c * c) // rounded: no fusion into 1 − c²
		}), nil
	case ScheduleTruncCos:
		return betasForAlphaBarLeft(steps, func(s float64) float64 {
			c := math.Cos((s + 0.1) / 1.1 * math.Pi / 2)
			return float64(c * c) // rounded: no fusion into 1 − c²
		}), nil
	case ScheduleTruncLin:
		return linspace(scale*0.0001+0.01, scale*0.02+0.01, steps), nil
	case SchedulePwLin:
		if steps < 10 {
			return nil, fmt.Errorf("diffuseq: noise schedule %q needs diffusion_steps >= 10, got %d", name, steps)
		}
		first := linspace(scale*0.0001+0.01, scale*0.0001, 10)
		return append(first, linspace(scale*0.0001, scale*0.02, steps-10)...), nil
	case ScheduleWarmupDecay:
		betas := betasForAlphaBar(steps, sqrtAlphaBar)
		w := max(1, int(0.1*float64(steps)))
		copy(betas[steps-w:], linspace(betas[steps-w], 0.0001, w))
		return betas, nil
	}
	return nil, fmt.Errorf("diffuseq: unknown noise schedule %q (want sqrt, linear, cosine, trunc_cos, trunc_lin, pw_lin or warmup-decay)", name)
}

// sqrtAlphaBar is the paper's f(s) = 1 − √(s + 0.0001). f(0) = 0.99 ≠ 1,
// so ᾱ_i = f((i+1)/K)/f(0) and the clean end is already slightly noisy.
func sqrtAlphaBar(s float64) float64 { return 1 - math.Sqrt(s+0.0001) }

// betasForAlphaBar discretises a continuous ᾱ(s), s ∈ [0, 1]:
//
//	β_i = min(1 − f((i+1)/K) / f(i/K), 0.999),  i = 0..K−1.
func betasForAlphaBar(steps int, f func(float64) float64) []float64 {
	betas := make([]float64, steps)
	for i := range betas {
		t1 := float64(i) / float64(steps)
		t2 := float64(i+1) / float64(steps)
		betas[i] = math.Min(1-f(t2)/f(t1), maxBeta)
	}
	return betas
}

// betasForAlphaBarLeft is the "left" variant used by trunc_cos:
//
//	β_0 = min(1 − f(0), 0.999), β_{i+1} = min(1 − f((i+1)/K)/f(i/K), 0.999), i = 0..K−2.
func betasForAlphaBarLeft(steps int, f func(float64) float64) []float64 {
	betas := make([]float64, 0, steps)
	betas = append(betas, math.Min(1-f(0), maxBeta))
	for i := 0; i < steps-1; i++ {
		t1 := float64(i) / float64(steps)
		t2 := float64(i+1) / float64(steps)
		betas = append(betas, math.Min(1-f(t2)/f(t1), maxBeta))
	}
	return betas
}

// linspace is numpy.linspace(start, stop, n) bit for bit: y_i = i·step +
// start with step = (stop − start)/(n − 1), and the last value set to stop.
func linspace(start, stop float64, n int) []float64 {
	y := make([]float64, n)
	if n == 1 {
		y[0] = start
		return y
	}
	step := (stop - start) / float64(n-1)
	for i := range y {
		y[i] = float64(float64(i)*step) + start
	}
	y[n-1] = stop
	return y
}
