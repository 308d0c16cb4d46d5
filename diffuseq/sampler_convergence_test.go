package diffuseq

import (
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// End-to-end convergence of the fast samplers with an analytic network.
//
// If the data are Gaussian, x_0 ~ N(μ, s²·I) around the absorbing state m
// (v2; m = 0 for v1), the best x_0 prediction is known in closed form,
//
//	D(x_t) = μ + g_t·((x_t − m) − √ᾱ_t·(μ − m)),   g_t = √ᾱ_t·s² / (ᾱ_t·s² + 1 − ᾱ_t),
//
// and so is the probability-flow ODE the deterministic samplers integrate:
// the standardised coordinate z = (y_t − √ᾱ_t(μ−m)) / √(ᾱ_t·s² + 1 − ᾱ_t)
// (y = x − m) is constant along a trajectory. The ancestral chain is
// linear-Gaussian, so its output mean and variance follow a float64
// recursion. The tests check that every sampler approaches its limit as
// the number of steps grows, at the expected rate.

// gaussDenoiser is D above; it reads ᾱ off the network time through the
// continuous schedule (exactly ᾱ_n at the discrete times n·1000/K).
type gaussDenoiser struct {
	vp   *VPSchedule
	mu   []float32 // (B·L·d) data mean
	m    []float32 // (d) absorbing state or nil
	s2   float64   // data variance
	dim  int
	call int
}

func (g *gaussDenoiser) abar(tau float32) float64 {
	t := (float64(tau)*float64(g.vp.K)/1000 + 1) / float64(g.vp.K)
	a := g.vp.Alpha(t)
	return a * a
}

func (g *gaussDenoiser) mAt(n int) float64 {
	if g.m == nil {
		return 0
	}
	return float64(g.m[n%g.dim])
}

func (g *gaussDenoiser) PredictXStart(x *tensor.Tensor, tau []float32) *tensor.Tensor {
	g.call++
	ab := g.abar(tau[0])
	gain := math.Sqrt(ab) * g.s2 / (ab*g.s2 + 1 - ab)
	out := tensor.New(x.Shape()...)
	for n, v := range x.Data() {
		mm, mu := g.mAt(n), float64(g.mu[n])
		out.Data()[n] = float32(mu + gain*((float64(v)-mm)-math.Sqrt(ab)*(mu-mm)))
	}
	return out
}

// odeAt maps x_T (at ᾱ_{K−1}) along the exact ODE to ᾱ.
func (g *gaussDenoiser) odeAt(xT []float32, abT, ab float64) []float64 {
	out := make([]float64, len(xT))
	for n, v := range xT {
		mm, mu := g.mAt(n), float64(g.mu[n])-g.mAt(n)
		z := (float64(v) - mm - math.Sqrt(abT)*mu) / math.Sqrt(abT*g.s2+1-abT)
		out[n] = mm + math.Sqrt(ab)*mu + math.Sqrt(ab*g.s2+1-ab)*z
	}
	return out
}

func maxAbsDiff(a []float32, b []float64) float64 {
	w := 0.0
	for i := range a {
		w = math.Max(w, math.Abs(float64(a[i])-b[i]))
	}
	return w
}

func convergenceSetup(t *testing.T, withM bool) (*Diffusion, *gaussDenoiser, *tensor.Tensor) {
	d := smallDiffusion(t, 2000)
	const b, l, dim = 2, 8, 16
	g := &gaussDenoiser{vp: d.VPSchedule(), mu: randVec(11, b*l*dim), s2: 0.25, dim: dim}
	xT := randTensor(12, b, l, dim)
	if withM {
		g.m = randVec(13, dim)
		for k := range g.m {
			g.m[k] *= 0.5
		}
		addRows(xT.Data(), g.m, 1)
	}
	return d, g, xT
}

// TestDPMSolverConverges: DPM-Solver++(2M) approaches the exact ODE
// solution at t = 1/K, about second order in the number of steps, with
// and without the absorbing state; the reference form does not.
func TestDPMSolverConverges(t *testing.T) {
	for _, withM := range []bool{false, true} {
		d, g, xT := convergenceSetup(t, withM)
		want := g.odeAt(xT.Data(), d.AlphasCumprod[1999], d.AlphasCumprod[0])
		var errs []float64
		for _, n := range []int{5, 10, 20, 50, 200, 500, 2000} {
			g.call = 0
			x := d.DPMSolverLoop(g, xT, DPMSolverOptions{Steps: n}, &SampleOptions{MeanEmbed: g.m}, nil)
			if g.call != n {
				t.Errorf("%d steps: %d network calls", n, g.call)
			}
			errs = append(errs, maxAbsDiff(x.Data(), want))
		}
		t.Logf("m=%v: DPM-Solver++ max error vs exact ODE at 5, 10, 20, 50, 200, 500, 2000 steps: %.3g", withM, errs)
		// From 20 steps on the error shrinks steadily (order ≈ 1.5 here:
		// the time-uniform grid leaves large λ steps at the clean end,
		// where λ(t) ~ −¼·ln t for the sqrt schedule; docs/samplers.md).
		for i := 3; i < len(errs); i++ {
			if !(errs[i] < errs[i-1]) {
				t.Errorf("m=%v: error did not shrink with more steps: %.3g", withM, errs)
			}
		}
		if errs[1] > 0.1 || errs[4] > 0.04 || errs[6] > 2e-3 || errs[6] > errs[4]/10 {
			t.Errorf("m=%v: errors %.3g not converging", withM, errs)
		}
		ref := d.DPMSolverLoop(g, xT, DPMSolverOptions{Steps: 200, ReferenceQuirks: true}, &SampleOptions{}, nil)
		t.Logf("m=%v: the v2 script's form at 200 steps: max error %.3g", withM, maxAbsDiff(ref.Data(), want))
	}
}

// TestDDIMConverges: consistent DDIM on the respaced process approaches
// the ODE solution (first order); at N = K it is the full DDIM, and every
// N-step result approaches the full one.
func TestDDIMConverges(t *testing.T) {
	for _, withM := range []bool{false, true} {
		d, g, xT := convergenceSetup(t, withM)
		// DDIM's last step returns x̂_0 = D(x at ᾱ_0).
		x0 := g.odeAt(xT.Data(), d.AlphasCumprod[1999], d.AlphasCumprod[0])
		tmp := tensor.New(xT.Shape()...)
		for i, v := range x0 {
			tmp.Data()[i] = float32(v)
		}
		dx := g.PredictXStart(tmp, []float32{0}).Data()
		want := make([]float64, len(dx))
		for i, v := range dx {
			want[i] = float64(v)
		}
		full, _ := d.SampleWith(g, xT, SamplerDDIM, 2000, &SampleOptions{MeanEmbed: g.m, ClampFirst: true}, nil)
		var errs, toFull []float64
		for _, n := range []int{10, 20, 50, 200, 2000} {
			x, err := d.SampleWith(g, xT, SamplerDDIM, n, &SampleOptions{MeanEmbed: g.m, ClampFirst: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			errs = append(errs, maxAbsDiff(x.Data(), want))
			toFull = append(toFull, maxAbsDiff(x.Data(), f64s(full.Data())))
		}
		t.Logf("m=%v: DDIM max error vs exact ODE at 10, 20, 50, 200, 2000 steps: %.3g; vs 2000-step DDIM: %.3g", withM, errs, toFull)
		for i := 1; i < len(errs); i++ {
			if !(errs[i] < errs[i-1]) || !(toFull[i] < toFull[i-1]) {
				t.Errorf("m=%v: error did not shrink with more steps: %.3g / %.3g", withM, errs, toFull)
			}
		}
		if errs[4] > 1e-2 || toFull[4] != 0 || toFull[3] > 0.2*toFull[0] {
			t.Errorf("m=%v: DDIM errors %.3g / %.3g", withM, errs, toFull)
		}
	}
}

func f64s(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// ancestralMoments is the exact mean and variance of the ancestral
// chain's output for one scalar entry (data mean mu, absorbing m, x_T =
// m + N(0,1)) on process p, in float64: the step is linear,
// x' = a·x + c + √v·z with a = c1·g + c2, c = c1·(μ − g·√ᾱ·(μ−m)) + (1−c1−c2)·m
// (mean parts written out), and the last step returns x̂_0 = D(x).
func ancestralMoments(p *Diffusion, g *gaussDenoiser, mu, m float64) (mean, variance float64) {
	mean, variance = m, 1
	for t := p.NumTimesteps - 1; t >= 0; t-- {
		ab := p.AlphasCumprod[t]
		gain := math.Sqrt(ab) * g.s2 / (ab*g.s2 + 1 - ab)
		c1, c2 := p.PosteriorMeanCoef1[t], p.PosteriorMeanCoef2[t]
		a := c1*gain + c2
		c := c1*(mu-gain*(math.Sqrt(ab)*(mu-m)+m)) + (1-c1-c2)*m
		mean, variance = a*mean+c, a*a*variance
		if t > 0 {
			variance += p.ModelVariance[t]
		}
	}
	return mean, variance
}

// TestAncestralConverges: the respaced ancestral sampler's output
// distribution approaches the full 2000-step sampler's as N grows
// (exact float64 moments), and the sampler's empirical moments match those
// formulas (Monte Carlo over 8192 entries sharing one data mean).
func TestAncestralConverges(t *testing.T) {
	for _, withM := range []bool{false, true} {
		d := smallDiffusion(t, 2000)
		const b, l, dim = 8, 64, 16
		mu, m := 0.7, 0.0
		g := &gaussDenoiser{vp: d.VPSchedule(), mu: make([]float32, b*l*dim), s2: 0.25, dim: dim}
		for i := range g.mu {
			g.mu[i] = float32(mu)
		}
		if withM {
			m = -0.4
			g.m = make([]float32, dim)
			for i := range g.m {
				g.m[i] = float32(m)
			}
		}
		fullMean, fullVar := ancestralMoments(d, g, mu, m)
		var gaps []float64
		for _, n := range []int{10, 20, 50, 200, 2000} {
			p, _, err := d.SamplerPlan(SamplerAncestral, n)
			if err != nil {
				t.Fatal(err)
			}
			em, ev := ancestralMoments(p, g, mu, m)
			gaps = append(gaps, math.Abs(em-fullMean)+math.Abs(ev-fullVar))
			if n == 10 || n == 200 {
				xT := tensor.New(b, l, dim)
				tensor.NewRNG(uint64(n)).FillNormal(xT.Data(), float32(m), 1)
				x, _ := d.SampleWith(g, xT, SamplerAncestral, n, &SampleOptions{MeanEmbed: g.m, ClampFirst: true, Noise: tensor.NewRNG(uint64(n) + 1)}, nil)
				var s, s2 float64
				for _, v := range x.Data() {
					s += float64(v)
				}
				cnt := float64(len(x.Data()))
				sm := s / cnt
				for _, v := range x.Data() {
					s2 += (float64(v) - sm) * (float64(v) - sm)
				}
				sv := s2 / (cnt - 1)
				// standard errors: √(var/n) for the mean, var·√(2/n) for the variance
				if math.Abs(sm-em) > 4*math.Sqrt(ev/cnt) || math.Abs(sv-ev) > 4*ev*math.Sqrt(2/cnt) {
					t.Errorf("m=%v N=%d: empirical mean/var %.4f/%.4f, exact %.4f/%.4f", withM, n, sm, sv, em, ev)
				}
			}
		}
		t.Logf("m=%v: full sampler output mean %.4f var %.4f (data %.2f, %.2f); |Δmean|+|Δvar| of N = 10, 20, 50, 200, 2000: %.3g",
			withM, fullMean, fullVar, mu, g.s2, gaps)
		for i := 1; i < len(gaps); i++ {
			if !(gaps[i] <= gaps[i-1]) {
				t.Errorf("m=%v: gap to the full sampler did not shrink: %.3g", withM, gaps)
			}
		}
		if gaps[4] != 0 || gaps[3] > 0.02 || math.Abs(fullMean-mu) > 0.02 {
			t.Errorf("m=%v: gaps %.3g, full mean %.4f", withM, gaps, fullMean)
		}
	}
}
