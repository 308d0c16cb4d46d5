package diffuseq

import (
	"fmt"
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/tensor"
)

func smallDiffusion(t *testing.T, k int) *Diffusion {
	t.Helper()
	d, err := New(Config{DiffusionSteps: k, NoiseSchedule: ScheduleSqrt, RescaleTimesteps: true})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestQSamplePartialNoising: noise only where mask = 1, source copied
// bit for bit, each example at its own step.
func TestQSamplePartialNoising(t *testing.T) {
	d := smallDiffusion(t, 50)
	x0, eps := randTensor(1, 2, 3, 4), randTensor(2, 2, 3, 4)
	mask := []int{0, 1, 1, 1, 0, 1}
	ts := []int{3, 49}
	xt := d.QSample(x0, eps, ts, mask)
	for b := range 2 {
		for j := range 3 {
			for k := range 4 {
				got := float64(xt.At(b, j, k))
				want := float64(x0.At(b, j, k))
				if mask[b*3+j] == 1 {
					want = d.SqrtAlphasCumprod[ts[b]]*want + d.SqrtOneMinusAlphasCumprod[ts[b]]*float64(eps.At(b, j, k))
					if math.Abs(got-want) > 1e-6 {
						t.Fatalf("x_t[%d,%d,%d] = %v, want %v", b, j, k, got, want)
					}
				} else if got != want {
					t.Fatalf("source x_t[%d,%d,%d] = %v, want x_0 %v", b, j, k, got, want)
				}
			}
		}
	}
	all := d.QSample(x0, eps, ts, nil)
	if all.At(0, 0, 0) == x0.At(0, 0, 0) {
		t.Error("nil mask left position 0 clean")
	}
}

// countingNormal draws from a seeded RNG and counts the values drawn.
type countingNormal struct {
	rng   *tensor.RNG
	drawn int
}

func (c *countingNormal) FillNormal(x []float32, mean, std float32) {
	c.drawn += len(x)
	c.rng.FillNormal(x, mean, std)
}

// TestStepNoiseTopP: the truncated noise stays within ±top_p and keeps
// the first draw wherever it was already inside.
func TestStepNoiseTopP(t *testing.T) {
	plain := StepNoise(&countingNormal{rng: tensor.NewRNG(9)}, []int{4, 5, 6}, 0).Data()
	src := &countingNormal{rng: tensor.NewRNG(9)}
	trunc := StepNoise(src, []int{4, 5, 6}, 1).Data()
	redrawn := 0
	for k := range trunc {
		if math.Abs(float64(trunc[k])) > 1 {
			t.Fatalf("z[%d] = %v outside ±1", k, trunc[k])
		}
		if math.Abs(float64(plain[k])) <= 1 {
			if trunc[k] != plain[k] {
				t.Fatalf("z[%d] redrawn although |%v| ≤ 1", k, plain[k])
			}
		} else {
			redrawn++
		}
	}
	if redrawn == 0 || src.drawn <= len(trunc) {
		t.Errorf("no redraws happened (%d outside, %d drawn)", redrawn, src.drawn)
	}
}

// TestPSampleStep: x_{t−1} = μ + exp(½ ln v_t)·z for t > 0, μ alone at
// t = 0 (no draw at all), source re-imposed.
func TestPSampleStep(t *testing.T) {
	d := smallDiffusion(t, 20)
	x, f, xs := randTensor(1, 2, 3, 4), randTensor(2, 2, 3, 4), randTensor(3, 2, 3, 4)
	mask := []int{0, 1, 1, 0, 0, 1}
	src := &countingNormal{rng: tensor.NewRNG(4)}
	opt := &SampleOptions{Mask: mask, XStart: xs, Noise: src}
	z := StepNoise(&countingNormal{rng: tensor.NewRNG(4)}, x.Shape(), 0).Data()
	s := d.PSampleFromOutput(f, x, 7, nil, opt)
	std := math.Sqrt(d.Betas[7])
	for i := range 6 {
		for k := range 4 {
			n := i*4 + k
			got := float64(s.Sample.Data()[n])
			if mask[i] == 0 {
				if got != float64(xs.Data()[n]) {
					t.Fatalf("source not re-imposed at %d", n)
				}
				continue
			}
			want := d.PosteriorMeanCoef1[7]*float64(f.Data()[n]) + d.PosteriorMeanCoef2[7]*float64(x.Data()[n]) + std*float64(z[n])
			if math.Abs(got-want) > 1e-5 {
				t.Fatalf("sample[%d] = %v, want %v", n, got, want)
			}
		}
	}
	before := src.drawn
	s0 := d.PSampleFromOutput(f, x, 0, nil, opt)
	if src.drawn != before {
		t.Error("noise drawn at t = 0")
	}
	for i := range 6 {
		for k := range 4 {
			n := i*4 + k
			want := f.Data()[n] // c1 = 1, c2 = 0 at t = 0
			if mask[i] == 0 {
				want = xs.Data()[n]
			}
			if math.Abs(float64(s0.Sample.Data()[n]-want)) > 1e-6 {
				t.Fatalf("t = 0 sample[%d] = %v, want %v", n, s0.Sample.Data()[n], want)
			}
		}
	}
}

// TestClampStep: which loop steps call the rounding function (3.8).
func TestClampStep(t *testing.T) {
	d := smallDiffusion(t, 6)
	model := DenoiserFunc(func(x *tensor.Tensor, _ []float32) *tensor.Tensor { return x.Clone() })
	for _, c := range []struct {
		clampStep  int
		clampFirst bool
		want       string
	}{
		{0, true, "[5 4 3 2 1 0]"},
		{3, true, "[5 4 3]"},
		{3, false, "[3 2 1 0]"},
	} {
		var called []int
		fn := func(x *tensor.Tensor, ts []int) *tensor.Tensor { called = append(called, ts[0]); return x }
		opt := &SampleOptions{DenoisedFn: fn, ClampStep: c.clampStep, ClampFirst: c.clampFirst, Noise: tensor.NewRNG(1)}
		var visited []int
		d.PSampleLoop(model, randTensor(1, 1, 2, 3), opt, func(s StepOutput) { visited = append(visited, s.T) })
		if fmt.Sprint(called) != c.want || fmt.Sprint(visited) != "[5 4 3 2 1 0]" {
			t.Errorf("clamp_step %d first %v: rounded at %v (want %s), visited %v", c.clampStep, c.clampFirst, called, c.want, visited)
		}
	}
}

func TestPMeanVarianceClip(t *testing.T) {
	d := smallDiffusion(t, 10)
	f := tensor.FromSlice([]float32{-3, -0.5, 0.25, 7}, 1, 1, 4)
	mv := d.PMeanVariance(f, tensor.New(1, 1, 4), []int{4}, nil, true)
	if fmt.Sprint(mv.PredXStart.Data()) != "[-1 -0.5 0.25 1]" {
		t.Errorf("clipped x̂_0 = %v", mv.PredXStart.Data())
	}
	if f.Data()[0] != -3 {
		t.Error("clipping modified the model output in place")
	}
}

func TestDDIMSteps(t *testing.T) {
	for _, c := range []struct {
		k, gap int
		want   string
	}{{7, 2, "[6 4 2 0]"}, {8, 2, "[7 5 3 1]"}, {3, 1, "[2 1 0]"}} {
		if got := fmt.Sprint(DDIMSteps(c.k, c.gap)); got != c.want {
			t.Errorf("DDIMSteps(%d, %d) = %s, want %s", c.k, c.gap, got, c.want)
		}
	}
}

// TestDDIMExactPrediction: with η = 0 and a perfect x̂_0, the DDIM update
// moves x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε to √ᾱ_{t−1} x_0 + √(1−ᾱ_{t−1}) ε.
func TestDDIMExactPrediction(t *testing.T) {
	d := smallDiffusion(t, 100)
	x0, eps := randTensor(1, 2, 3, 4), randTensor(2, 2, 3, 4)
	const tt = 40
	xt := d.QSample(x0, eps, []int{tt, tt}, nil)
	s := d.DDIMSampleFromOutput(x0, xt, tt, 0, &SampleOptions{})
	a, b := math.Sqrt(d.AlphasCumprodPrev[tt]), math.Sqrt(1-d.AlphasCumprodPrev[tt])
	for n, got := range s.Sample.Data() {
		want := a*float64(x0.Data()[n]) + b*float64(eps.Data()[n])
		if math.Abs(float64(got)-want) > 1e-5 {
			t.Fatalf("DDIM sample[%d] = %v, want %v", n, got, want)
		}
	}
}

func TestTokenNLL(t *testing.T) {
	// Row 0: uniform over 4 → ln 4. Row 1: target logit 10 above the rest.
	logits := tensor.FromSlice([]float32{0, 0, 0, 0, 0, 10, 0, 0}, 1, 2, 4)
	ids := []int{2, 1}
	want1 := math.Log(3*math.Exp(-10) + 1)
	all := TokenNLL(logits, ids, nil)
	if math.Abs(float64(all[0])-(math.Log(4)+want1)/2) > 1e-6 {
		t.Errorf("unmasked NLL = %v", all[0])
	}
	masked := TokenNLL(logits, ids, []int{1, 0})
	if math.Abs(float64(masked[0])-math.Log(4)) > 1e-6 {
		t.Errorf("masked NLL = %v, want ln 4", masked[0])
	}
	if got := MeanSquaredError(tensor.FromSlice([]float32{1, 2, 3, 4}, 2, 2), tensor.FromSlice([]float32{0, 0, 3, 0}, 2, 2)); got[0] != 2.5 || got[1] != 8 {
		t.Errorf("MeanSquaredError = %v", got)
	}
}
