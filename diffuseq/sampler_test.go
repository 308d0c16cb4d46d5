package diffuseq

import (
	"fmt"
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// The update rules of the fast samplers against float64 formulas written
// out here from ᾱ alone (not from the arrays the code uses).

func randVec(seed uint64, n int) []float32 {
	v := make([]float32, n)
	tensor.NewRNG(seed).FillNormal(v, 0, 1)
	return v
}

// TestVPScheduleReferenceValues: the spec's values (6.7) for sqrt, K = 2000.
func TestVPScheduleReferenceValues(t *testing.T) {
	vp := smallDiffusion(t, 2000).VPSchedule()
	for _, c := range []struct {
		t, alpha, sigma, lambda float64
		tolA                    float64
	}{
		{1, 4.4949e-4, 1, -7.7074, 1e-4},
		{1.0 / 2000, 0.99265, 0.12100, 2.10458, 1e-4},
	} {
		if got := vp.Alpha(c.t); math.Abs(got-c.alpha)/c.alpha > c.tolA {
			t.Errorf("α(%v) = %v, want %v", c.t, got, c.alpha)
		}
		if got := vp.Sigma(c.t); math.Abs(got-c.sigma)/c.sigma > c.tolA {
			t.Errorf("σ(%v) = %v, want %v", c.t, got, c.sigma)
		}
		if got := vp.Lambda(c.t); math.Abs(got-c.lambda) > 1e-4 {
			t.Errorf("λ(%v) = %v, want %v", c.t, got, c.lambda)
		}
	}
}

// TestVPScheduleInterpolation: α(t_n)² = ᾱ_n at the keypoints, ln α is
// linear between them and extrapolates the end segments.
func TestVPScheduleInterpolation(t *testing.T) {
	d := smallDiffusion(t, 50)
	vp := d.VPSchedule()
	for n := range 50 {
		tn := float64(n+1) / 50
		if got := vp.Alpha(tn) * vp.Alpha(tn); math.Abs(got-d.AlphasCumprod[n]) > 1e-12*max(1, d.AlphasCumprod[n]) {
			t.Fatalf("α(t_%d)² = %v, want ᾱ = %v", n, got, d.AlphasCumprod[n])
		}
		if s := vp.Sigma(tn); math.Abs(s*s-(1-d.AlphasCumprod[n])) > 1e-12 {
			t.Fatalf("σ(t_%d)² = %v, want 1 − ᾱ = %v", n, s*s, 1-d.AlphasCumprod[n])
		}
	}
	// midpoint of segment 10..11: ℓ = ¼(ln ᾱ_10 + ln ᾱ_11)
	mid := (11.5) / 50
	want := 0.25 * (math.Log(d.AlphasCumprod[10]) + math.Log(d.AlphasCumprod[11]))
	if got := vp.MarginalLogMeanCoeff(mid); math.Abs(got-want) > 1e-12 {
		t.Errorf("ℓ(mid) = %v, want %v", got, want)
	}
	// below t_0 = 1/50: the first segment continued
	l0, l1 := 0.5*math.Log(d.AlphasCumprod[0]), 0.5*math.Log(d.AlphasCumprod[1])
	if got, want := vp.MarginalLogMeanCoeff(0.5/50), l0-0.5*(l1-l0); math.Abs(got-want) > 1e-12 {
		t.Errorf("ℓ(0.5/K) = %v, want %v", got, want)
	}
	grid := vp.TimeUniform(4)
	if fmt.Sprintf("%.4f", grid) != "[1.0000 0.7550 0.5100 0.2650 0.0200]" {
		t.Errorf("time grid %v", grid)
	}
	if got := vp.ModelTime(float64(7+1)/50, true); got != float32(7*1000.0/50) {
		t.Errorf("model time at t_7 = %v, want %v", got, 7*1000.0/50)
	}
	if got := vp.ModelTimeReference(float64(7+1) / 50); got != 160 {
		t.Errorf("reference model time at t_7 = %v, want 160", got)
	}
}

// TestRespacedAncestralIsTheSubsampledPosterior: on a respaced process,
// step k's posterior q(x_{keep[k−1]} | x_{keep[k]}, x_0) and fixed-large
// variance follow from the base ᾱ at the kept steps only.
func TestRespacedAncestralIsTheSubsampledPosterior(t *testing.T) {
	base := smallDiffusion(t, 2000)
	keep, _ := SpaceTimesteps(2000, "10")
	r, err := base.Respace(keep)
	if err != nil {
		t.Fatal(err)
	}
	for k := range keep {
		ab := base.AlphasCumprod[keep[k]]
		abPrev := 1.0
		if k > 0 {
			abPrev = base.AlphasCumprod[keep[k-1]]
		}
		beta := 1 - ab/abPrev
		c1 := math.Sqrt(abPrev) * beta / (1 - ab)
		c2 := math.Sqrt(1-beta) * (1 - abPrev) / (1 - ab)
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"c1", r.PosteriorMeanCoef1[k], c1}, {"c2", r.PosteriorMeanCoef2[k], c2}, {"ᾱ_prev", r.AlphasCumprodPrev[k], abPrev}} {
			if math.Abs(c.got-c.want) > 1e-12*math.Max(1, math.Abs(c.want)) {
				t.Errorf("step %d (orig %d): %s = %v, want %v", k, keep[k], c.name, c.got, c.want)
			}
		}
		if k > 0 && math.Abs(r.ModelVariance[k]-beta) > 1e-12 {
			t.Errorf("step %d: variance %v, want β' = %v", k, r.ModelVariance[k], beta)
		}
		if got := r.ModelTimestep(k); got != float32(keep[k])*0.5 {
			t.Errorf("step %d: network time %v, want %v", k, got, float32(keep[k])*0.5)
		}
	}
}

// TestPSampleAbsorbingMean: with v2's m the ancestral mean is
// c1·x̂_0 + c2·x + (1 − c1 − c2)·m, plus √β_t·z.
func TestPSampleAbsorbingMean(t *testing.T) {
	d := smallDiffusion(t, 20)
	x, f, xs := randTensor(1, 2, 3, 4), randTensor(2, 2, 3, 4), randTensor(3, 2, 3, 4)
	m := randVec(9, 4)
	mask := []int{0, 1, 1, 0, 1, 1}
	opt := &SampleOptions{Mask: mask, XStart: xs, Noise: tensor.NewRNG(4), MeanEmbed: m}
	z := StepNoise(tensor.NewRNG(4), x.Shape(), 0).Data()
	s := d.PSampleFromOutput(f, x, 7, nil, opt)
	c1, c2 := d.PosteriorMeanCoef1[7], d.PosteriorMeanCoef2[7]
	for n, got := range s.Sample.Data() {
		want := float64(xs.Data()[n])
		if mask[n/4] == 1 {
			want = c1*float64(f.Data()[n]) + c2*float64(x.Data()[n]) + (1-c1-c2)*float64(m[n%4]) + math.Sqrt(d.Betas[7])*float64(z[n])
		}
		if math.Abs(float64(got)-want) > 1e-5 {
			t.Fatalf("sample[%d] = %v, want %v", n, got, want)
		}
	}
}

// TestDDIMStepConsistent: the η = 0 step on a respaced process lands on the
// previous kept step's noise level, with and without m; t = 0 gives x̂_0.
func TestDDIMStepConsistent(t *testing.T) {
	base := smallDiffusion(t, 2000)
	keep, _ := SpaceTimesteps(2000, "10")
	r, _ := base.Respace(keep)
	x, f, xs := randTensor(1, 2, 3, 4), randTensor(2, 2, 3, 4), randTensor(3, 2, 3, 4)
	mask := []int{0, 1, 1, 0, 1, 1}
	for _, m := range [][]float32{nil, randVec(9, 4)} {
		opt := &SampleOptions{Mask: mask, XStart: xs, MeanEmbed: m}
		for _, k := range []int{9, 5, 1, 0} {
			ab := base.AlphasCumprod[keep[k]]
			abPrev := 1.0
			if k > 0 {
				abPrev = base.AlphasCumprod[keep[k-1]]
			}
			s := r.DDIMStepFromOutput(f, x, k, nil, opt)
			for n, got := range s.Sample.Data() {
				want := float64(xs.Data()[n])
				if mask[n/4] == 1 {
					mm := 0.0
					if m != nil {
						mm = float64(m[n%4])
					}
					y, y0 := float64(x.Data()[n])-mm, float64(f.Data()[n])-mm
					eps := (y - math.Sqrt(ab)*y0) / math.Sqrt(1-ab)
					want = mm + math.Sqrt(abPrev)*y0 + math.Sqrt(1-abPrev)*eps
				}
				if math.Abs(float64(got)-want) > 2e-5*math.Max(1, math.Abs(want)) {
					t.Fatalf("m=%v step %d: sample[%d] = %v, want %v", m != nil, k, n, got, want)
				}
			}
		}
	}
	// Without m and on the base process (gap 1) it is the reference's
	// DDIM step (3.10), up to float32 rounding.
	opt := &SampleOptions{Mask: mask, XStart: xs}
	a := base.DDIMStepFromOutput(f, x, 700, nil, opt).Sample.Data()
	b := base.DDIMSampleFromOutput(f, x, 700, 0, opt).Sample.Data()
	for n := range a {
		if math.Abs(float64(a[n]-b[n])) > 1e-5 {
			t.Fatalf("step 700: consistent %v vs reference %v at %d", a[n], b[n], n)
		}
	}
}

// TestDPMSolverUpdateCoefficients: the coefficients at keypoints, where
// α = √ᾱ_n and σ = √(1−ᾱ_n) exactly.
func TestDPMSolverUpdateCoefficients(t *testing.T) {
	d := smallDiffusion(t, 2000)
	vp := d.VPSchedule()
	tk := func(n int) float64 { return float64(n+1) / 2000 }
	lam := func(n int) float64 {
		return 0.5*math.Log(d.AlphasCumprod[n]) - 0.5*math.Log(1-d.AlphasCumprod[n])
	}
	p, s, u := 1999, 1499, 999
	h := lam(u) - lam(s)
	alphaT := math.Sqrt(d.AlphasCumprod[u])
	wantY := math.Sqrt(1-d.AlphasCumprod[u]) / math.Sqrt(1-d.AlphasCumprod[s])
	wantD := -alphaT * (math.Exp(-h) - 1)
	r := (lam(s) - lam(p)) / h
	wantDiff := -0.5 * alphaT * (math.Exp(-h) - 1) / r
	cY, cD, cDiff := DPMSolverUpdate(vp, tk(p), tk(s), tk(u), 2)
	for _, c := range [][2]float64{{cY, wantY}, {cD, wantD}, {cDiff, wantDiff}} {
		if math.Abs(c[0]-c[1]) > 1e-9*math.Abs(c[1]) {
			t.Errorf("coefficients (%v, %v, %v), want (%v, %v, %v)", cY, cD, cDiff, wantY, wantD, wantDiff)
			break
		}
	}
	if _, _, c := DPMSolverUpdate(vp, 0, tk(s), tk(u), 1); c != 0 {
		t.Errorf("first order has a difference term %v", c)
	}
	var orders []int
	for k := 1; k <= 5; k++ {
		orders = append(orders, DPMSolverOrder(k, 5))
	}
	if fmt.Sprint(orders) != "[1 2 2 2 1]" {
		t.Errorf("orders for 5 steps %v, want [1 2 2 2 1] (lower order final)", orders)
	}
	if DPMSolverOrder(12, 12) != 2 || DPMSolverOrder(1, 12) != 1 {
		t.Error("with ≥ 10 steps only the first step is first order")
	}
}

// scriptedDenoiser returns out[i] on call i and records the times.
type scriptedDenoiser struct {
	out  []*tensor.Tensor
	taus []float32
}

func (s *scriptedDenoiser) PredictXStart(x *tensor.Tensor, tau []float32) *tensor.Tensor {
	s.taus = append(s.taus, tau[0])
	return s.out[len(s.taus)-1]
}

// TestDPMSolverLoop: three steps with scripted predictions, against the
// multistep recursion in float64, for the standard form with m and for
// the reference form (state := D, network time 1000·t, no m).
func TestDPMSolverLoop(t *testing.T) {
	d := smallDiffusion(t, 100)
	vp := d.VPSchedule()
	const steps = 3
	xT, xs := randTensor(1, 1, 3, 4), randTensor(2, 1, 3, 4)
	mask := []int{0, 1, 1}
	preds := []*tensor.Tensor{randTensor(3, 1, 3, 4), randTensor(4, 1, 3, 4), randTensor(5, 1, 3, 4)}
	m := randVec(9, 4)
	grid := vp.TimeUniform(steps)
	for _, quirks := range []bool{false, true} {
		den := &scriptedDenoiser{out: preds}
		opt := &SampleOptions{Mask: mask, XStart: xs, MeanEmbed: m}
		got := d.DPMSolverLoop(den, xT, DPMSolverOptions{Steps: steps, ReferenceQuirks: quirks}, opt, nil).Data()
		for n := 4; n < 12; n++ { // generated positions 1, 2
			mm := float64(m[n%4])
			if quirks {
				mm = 0
			}
			y := float64(xT.Data()[n]) - mm
			var dPrev float64
			for k := 1; k <= steps; k++ {
				tS, tT := grid[k-1], grid[k]
				dCur := float64(preds[k-1].Data()[n]) - mm
				h := vp.Lambda(tT) - vp.Lambda(tS)
				phi := math.Exp(-h) - 1
				state := y
				if quirks {
					state = dCur
				}
				y = vp.Sigma(tT)/vp.Sigma(tS)*state - vp.Alpha(tT)*phi*dCur
				if order := DPMSolverOrder(k, steps); order == 2 {
					r := (vp.Lambda(tS) - vp.Lambda(grid[k-2])) / h
					y -= 0.5 * vp.Alpha(tT) * phi * (dCur - dPrev) / r
				}
				dPrev = dCur
			}
			if want := y + mm; math.Abs(float64(got[n])-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Fatalf("quirks=%v: x[%d] = %v, want %v", quirks, n, got[n], want)
			}
		}
		for n := range 4 {
			if got[n] != xs.Data()[n] {
				t.Fatalf("quirks=%v: source not re-imposed", quirks)
			}
		}
		if len(den.taus) != steps {
			t.Fatalf("%d network calls for %d steps", len(den.taus), steps)
		}
		for k, tau := range den.taus {
			want := float32((grid[k]*100 - 1) * 10)
			if quirks {
				want = float32(1000 * grid[k])
			}
			if math.Abs(float64(tau-want)) > 1e-3 {
				t.Errorf("quirks=%v: call %d at τ = %v, want %v", quirks, k, tau, want)
			}
		}
	}
}

func TestSamplerPlanAndParse(t *testing.T) {
	d := smallDiffusion(t, 100)
	for _, c := range []struct {
		s       Sampler
		n, want int
		k       int // steps of the process run
	}{
		{SamplerAncestral, 0, 100, 100}, {SamplerAncestral, 10, 10, 10}, {SamplerDDIM, 100, 100, 100},
		{SamplerDDIM, 20, 20, 20}, {SamplerDPMSolver, 0, 10, 100}, {SamplerDPMSolverReference, 7, 7, 100},
	} {
		p, n, err := d.SamplerPlan(c.s, c.n)
		if err != nil || n != c.want || p.NumTimesteps != c.k {
			t.Errorf("SamplerPlan(%q, %d) = %d steps on %v, %v; want %d on %d", c.s, c.n, n, p, err, c.want, c.k)
		}
	}
	for _, c := range []struct {
		s Sampler
		n int
	}{{SamplerAncestral, 101}, {SamplerDDIM, 1}, {SamplerDPMSolver, -1}, {"bogus", 5}, {SamplerReference, 5}} {
		if _, _, err := d.SamplerPlan(c.s, c.n); err == nil {
			t.Errorf("SamplerPlan(%q, %d) accepted", c.s, c.n)
		}
	}
	r, _, _ := d.SamplerPlan(SamplerAncestral, 10)
	if _, _, err := r.SamplerPlan(SamplerDPMSolver, 5); err == nil {
		t.Error("DPM-Solver++ accepted a respaced process")
	}
	for _, s := range Samplers {
		if got, err := ParseSampler(string(s)); err != nil || got != s {
			t.Errorf("ParseSampler(%q) = %q, %v", s, got, err)
		}
	}
	if _, err := ParseSampler("dpm"); err == nil {
		t.Error(`ParseSampler("dpm") accepted`)
	}
}

// TestDecodeSamplers: Decode's common entry point. A network that always
// predicts the clean target embeddings makes every consistent sampler
// recover the target tokens; bad combinations are errors, not panics.
func TestDecodeSamplers(t *testing.T) {
	d := smallDiffusion(t, 200)
	const b, l, v, dim = 2, 6, 20, 16
	emb, bias := randTensor(21, v, dim), tensor.New(v)
	ids := []int{3, 4, 1, 7, 8, 9, 5, 1, 10, 11, 12, 13}
	mask := []int{0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1}
	target := NewRounder(emb).Embed(ids, b, l)
	oracle := DenoiserFunc(func(x *tensor.Tensor, _ []float32) *tensor.Tensor { return target.Clone() })
	for _, c := range []struct {
		s     Sampler
		steps int
		m     []float32
	}{
		{SamplerAncestral, 10, nil}, {SamplerAncestral, 0, randVec(5, dim)}, {SamplerDDIM, 7, randVec(5, dim)},
		{SamplerDPMSolver, 5, nil}, {SamplerDPMSolver, 20, randVec(5, dim)}, {SamplerDPMSolverReference, 10, randVec(5, dim)},
	} {
		in := DecodeInputs{InputIDs: ids, Mask: mask, B: b, L: l, Emb: emb, Bias: bias, Noise: tensor.NewRNG(1),
			Sampler: c.s, Steps: c.steps, MeanEmbed: c.m}
		tokens, _, err := d.Decode(oracle, in)
		if err != nil {
			t.Fatalf("%s/%d: %v", c.s, c.steps, err)
		}
		if fmt.Sprint(tokens) != fmt.Sprint(ids) {
			t.Errorf("%s/%d (m=%v): tokens %v, want %v", c.s, c.steps, c.m != nil, tokens, ids)
		}
	}
	base := DecodeInputs{InputIDs: ids, Mask: mask, B: b, L: l, Emb: emb, Bias: bias, Noise: tensor.NewRNG(1)}
	for name, mod := range map[string]func(*DecodeInputs){
		"Step with Sampler": func(in *DecodeInputs) { in.Sampler, in.Step = SamplerDDIM, 10 },
		"unknown sampler":   func(in *DecodeInputs) { in.Sampler = "fast" },
		"too many steps":    func(in *DecodeInputs) { in.Sampler, in.Steps = SamplerAncestral, 201 },
		"mean_embed width":  func(in *DecodeInputs) { in.Sampler, in.MeanEmbed = SamplerDDIM, make([]float32, 3) },
	} {
		in := base
		mod(&in)
		if _, _, err := d.Decode(oracle, in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestPSampleDiscreteNoise: v2's sampling-time discrete noise replaces a
// generated position by m with probability λ·√v_t after steps t > 0, and
// never touches the source or the last step.
func TestPSampleDiscreteNoise(t *testing.T) {
	d := smallDiffusion(t, 20)
	const l, dim = 4000, 4
	x, f, xs := randTensor(1, 1, l, dim), randTensor(2, 1, l, dim), randTensor(3, 1, l, dim)
	m := randVec(9, dim)
	mask := make([]int, l)
	for j := range mask {
		mask[j] = boolInt(j >= 100)
	}
	for _, step := range []int{19, 3, 0} {
		opt := &SampleOptions{Mask: mask, XStart: xs, Noise: tensor.NewRNG(4), MeanEmbed: m, DenoiseRate: 0.5}
		s := d.PSampleFromOutput(f, x, step, nil, opt).Sample.Data()
		hits := 0
		for j := range l {
			row := s[j*dim : (j+1)*dim]
			isM := fmt.Sprint(row) == fmt.Sprint(m)
			if mask[j] == 0 && (isM || row[0] != xs.Data()[j*dim]) {
				t.Fatalf("t=%d: source position %d changed", step, j)
			}
			if mask[j] == 1 && isM {
				hits++
			}
		}
		q := 0.0
		if step > 0 {
			q = 0.5 * math.Sqrt(float64(float32(d.ModelVariance[step])))
		}
		n := float64(l - 100)
		if got := float64(hits) / n; math.Abs(got-q) > 4*math.Sqrt(q*(1-q)/n)+1e-12 {
			t.Errorf("t=%d: replaced %.4f of the positions, want %.4f", step, got, q)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
