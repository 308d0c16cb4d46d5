package diffuseq

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/fixture"
)

// TestScheduleFixture compares every schedule array the fixture holds
// with ours: raw betas, the recomputed betas of the all-steps-kept
// SpacedDiffusion, and the derived arrays of 3.2.
func TestScheduleFixture(t *testing.T) {
	fx := fixture.Open(t)
	// cosine: β = 1 − f(t2)/f(t1) cancels (β_3 ≈ 2.4e-5), so a one-ulp
	// difference between Go's math.Cos and the C library's cos becomes
	// ~1e-11 relative; sqrt and linear use only sqrt and arithmetic.
	tols := map[string]float64{ScheduleSqrt: 1e-12, ScheduleLinear: 1e-12, ScheduleCosine: 2e-11}
	const tol = 1e-12
	for _, name := range []string{ScheduleSqrt, ScheduleLinear, ScheduleCosine} {
		tol := tols[name]
		raw, err := NamedBetaSchedule(name, 2000)
		if err != nil {
			t.Fatal(err)
		}
		checkF64(t, name+"/betas_raw", raw, fx.F64("schedule/"+name+"/betas_raw"), tol)
		d, err := New(Config{DiffusionSteps: 2000, NoiseSchedule: name, RescaleTimesteps: true})
		if err != nil {
			t.Fatal(err)
		}
		checkF64(t, name+"/betas", d.Betas, fx.F64("schedule/"+name+"/betas"), tol)
		checkF64(t, name+"/alphas_cumprod", d.AlphasCumprod, fx.F64("schedule/"+name+"/alphas_cumprod"), tol)
	}
	d := fixtureDiffusion(t)
	for name, got := range map[string][]float64{
		"alphas_cumprod_prev":            d.AlphasCumprodPrev,
		"alphas_cumprod_next":            d.AlphasCumprodNext,
		"sqrt_alphas_cumprod":            d.SqrtAlphasCumprod,
		"sqrt_one_minus_alphas_cumprod":  d.SqrtOneMinusAlphasCumprod,
		"log_one_minus_alphas_cumprod":   d.LogOneMinusAlphasCumprod,
		"sqrt_recip_alphas_cumprod":      d.SqrtRecipAlphasCumprod,
		"sqrt_recipm1_alphas_cumprod":    d.SqrtRecipm1AlphasCumprod,
		"posterior_variance":             d.PosteriorVariance,
		"posterior_log_variance_clipped": d.PosteriorLogVarianceClipped,
		"posterior_mean_coef1":           d.PosteriorMeanCoef1,
		"posterior_mean_coef2":           d.PosteriorMeanCoef2,
		"model_variance":                 d.ModelVariance,
		"model_log_variance":             d.ModelLogVariance,
	} {
		checkF64(t, "sqrt/"+name, got, fx.F64("schedule/sqrt/"+name), tol)
	}
}

// TestRespacingFixture checks the 10-step spaced process of the sampling
// fixture: kept steps, betas, ᾱ and the network times τ.
func TestRespacingFixture(t *testing.T) {
	fx := fixture.Open(t)
	cfg := DefaultConfig()
	cfg.TimestepRespacing = "10"
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInts(t, "timestep_map", d.TimestepMap, fx.Ints("sample10/timestep_map"))
	checkF64(t, "sample10/betas", d.Betas, fx.F64("sample10/betas"), 1e-12)
	checkF64(t, "sample10/alphas_cumprod", d.AlphasCumprod, fx.F64("sample10/alphas_cumprod"), 1e-12)
	modelT := fx.Tensor("sample10/model_t").Data() // (10 loop steps, B)
	for loop := range 10 {
		tt := d.NumTimesteps - 1 - loop
		for b := range 3 {
			if got, want := d.ModelTimestep(tt), modelT[loop*3+b]; got != want {
				t.Errorf("model time at step %d: %v, want %v", tt, got, want)
			}
		}
	}
	full := fixtureDiffusion(t)
	trainT := fx.Ints("train/t")
	want := fx.Tensor("train/t_model").Data()
	for i, tt := range trainT {
		if got := full.ModelTimestep(tt); got != want[i] {
			t.Errorf("train model time of t=%d: %v, want %v", tt, got, want[i])
		}
	}
}
