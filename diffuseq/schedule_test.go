package diffuseq

import (
	"math"
	"strings"
	"testing"
)

// TestSqrtScheduleReferenceValues checks the values printed in the
// reference specification (3.1), computed there independently.
func TestSqrtScheduleReferenceValues(t *testing.T) {
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*math.Abs(want) {
			t.Errorf("%s = %.10g, want %.10g", name, got, want)
		}
	}
	near("β_0", d.Betas[0], 0.0146413105, 1e-8)
	near("β_1", d.Betas[1], 0.0088890878, 1e-8)
	near("β_2", d.Betas[2], 0.0070681770, 1e-8)
	near("β_1997", d.Betas[1997], 0.357223, 2e-6)
	near("β_1998", d.Betas[1998], 0.555611, 2e-6)
	if d.Betas[1999] != 0.999 {
		t.Errorf("β_1999 = %v, want the clip 0.999", d.Betas[1999])
	}
	near("ᾱ_0", d.AlphasCumprod[0], 0.9853586895, 1e-9)
	near("√(1−ᾱ_0)", d.SqrtOneMinusAlphasCumprod[0], 0.1210012832, 1e-9)
	near("ᾱ_999", d.AlphasCumprod[999], 0.2957803, 1e-6)
	near("ᾱ_1999", d.AlphasCumprod[1999], 2.0204041e-7, 1e-7)
	near("√ᾱ_1999", d.SqrtAlphasCumprod[1999], 4.4948905e-4, 1e-7)
	near("ṽ_1", d.PosteriorVariance[1], 0.0055618163, 1e-8)
	minB, at := math.Inf(1), 0
	for i, b := range d.Betas {
		if b < minB {
			minB, at = b, i
		}
	}
	near("min β", minB, 0.00099950, 1e-4)
	if at < 400 || at > 600 {
		t.Errorf("min β at %d, expected around 500", at)
	}
}

// TestSqrtTelescopes: with f(s) = 1 − √(s + 1e-4), the product of
// (1 − β) telescopes to ᾱ_i = f((i+1)/K)/f(0) until the clip at the end.
func TestSqrtTelescopes(t *testing.T) {
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1999; i++ {
		want := sqrtAlphaBar(float64(i+1)/2000) / sqrtAlphaBar(0)
		if relErr(d.AlphasCumprod[i], want, 0) > 1e-11 {
			t.Fatalf("ᾱ_%d = %.17g, telescoped %.17g", i, d.AlphasCumprod[i], want)
		}
	}
}

// TestPosteriorMeanIdentity: the posterior mean of a noiseless pair
// (x_t = √ᾱ_t x_0) is √ᾱ_{t−1} x_0, i.e. c1_t + c2_t√ᾱ_t = √ᾱ_{t−1}; and
// the posterior variance is β_t(1−ᾱ_{t−1})/(1−ᾱ_t).
func TestPosteriorMeanIdentity(t *testing.T) {
	for _, name := range []string{ScheduleSqrt, ScheduleLinear, ScheduleCosine, ScheduleTruncCos, ScheduleTruncLin, SchedulePwLin, ScheduleWarmupDecay} {
		d, err := New(Config{DiffusionSteps: 200, NoiseSchedule: name})
		if err != nil {
			t.Fatal(err)
		}
		for i := range d.NumTimesteps {
			got := d.PosteriorMeanCoef1[i] + d.PosteriorMeanCoef2[i]*d.SqrtAlphasCumprod[i]
			if relErr(got, math.Sqrt(d.AlphasCumprodPrev[i]), 0) > 1e-12 {
				t.Fatalf("%s t=%d: c1+c2√ᾱ = %v, √ᾱ_{t−1} = %v", name, i, got, math.Sqrt(d.AlphasCumprodPrev[i]))
			}
		}
		if d.ModelVariance[0] != d.PosteriorVariance[1] || d.ModelVariance[5] != d.Betas[5] {
			t.Errorf("%s: model variance is not the fixed-large choice", name)
		}
	}
}

// TestOtherSchedules checks the schedules the fixture does not hold
// against their defining formulas (3.1, 6.5).
func TestOtherSchedules(t *testing.T) {
	const k = 2000
	get := func(name string) []float64 {
		b, err := NamedBetaSchedule(name, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != k {
			t.Fatalf("%s: %d betas", name, len(b))
		}
		return b
	}
	tc := get(ScheduleTruncCos)
	f := func(s float64) float64 { c := math.Cos((s + 0.1) / 1.1 * math.Pi / 2); return float64(c * c) }
	if tc[0] != 1-f(0) || relErr(tc[5], 1-f(5.0/k)/f(4.0/k), 0) > 1e-15 {
		t.Errorf("trunc_cos β_0 = %v (want %v), β_5 = %v (want %v)", tc[0], 1-f(0), tc[5], 1-f(5.0/k)/f(4.0/k))
	}
	tl := get(ScheduleTruncLin)
	if tl[0] != 0.5*0.0001+0.01 || tl[k-1] != 0.5*0.02+0.01 {
		t.Errorf("trunc_lin ends %v, %v", tl[0], tl[k-1])
	}
	pw := get(SchedulePwLin)
	if pw[0] != 0.5*0.0001+0.01 || pw[9] != 0.5*0.0001 || pw[10] != 0.5*0.0001 || pw[k-1] != 0.5*0.02 {
		t.Errorf("pw_lin knots %v %v %v %v", pw[0], pw[9], pw[10], pw[k-1])
	}
	wd, sq := get(ScheduleWarmupDecay), get(ScheduleSqrt)
	for i := range 1800 {
		if wd[i] != sq[i] {
			t.Fatalf("warmup-decay β_%d = %v, sqrt %v", i, wd[i], sq[i])
		}
	}
	if wd[1800] != sq[1800] || wd[k-1] != 0.0001 || math.Abs(wd[1800]-0.0051395) > 1e-6 {
		t.Errorf("warmup-decay β_1800 = %v (sqrt %v, spec ≈ 0.0051395), β_1999 = %v", wd[1800], sq[1800], wd[k-1])
	}
	for i := 1801; i < k; i++ {
		if !(wd[i] < wd[i-1]) {
			t.Fatalf("warmup-decay not decreasing at %d", i)
		}
	}
}

func TestScheduleErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		steps int
		want  string
	}{
		{"bogus", 2000, `unknown noise schedule "bogus"`},
		{"sqrt", 0, "must be >= 1"},
		{"pw_lin", 5, "needs diffusion_steps >= 10"},
	} {
		if _, err := NamedBetaSchedule(c.name, c.steps); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NamedBetaSchedule(%q, %d) error %v, want it to mention %q", c.name, c.steps, err, c.want)
		}
	}
	if _, err := NewDiffusion([]float64{0.1, 1.5}, true); err == nil {
		t.Error("NewDiffusion accepted β = 1.5")
	}
}

func TestModelTimestep(t *testing.T) {
	d, err := New(Config{DiffusionSteps: 4000, NoiseSchedule: ScheduleSqrt, RescaleTimesteps: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.ModelTimestep(3999); got != 999.75 {
		t.Errorf("τ(3999) with K=4000 = %v, want 999.75", got)
	}
	d.RescaleTimesteps = false
	if got := d.ModelTimestep(3999); got != 3999 {
		t.Errorf("unrescaled τ(3999) = %v", got)
	}
}
