package optim

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// golden mirrors testdata/optim/golden.json, written by testdata/optim/gen.py
// from torch.optim.AdamW, clip_grad_norm_ and the reference's EMA update.
type golden struct {
	Torch     string           `json:"torch"`
	Scenarios []goldenScenario `json:"scenarios"`
}

type goldenScenario struct {
	Name             string    `json:"name"`
	LR               float64   `json:"lr"`
	WeightDecay      float64   `json:"weight_decay"`
	GradientClipping float64   `json:"gradient_clipping"`
	LearningSteps    int       `json:"learning_steps"`
	ResumeStep       int       `json:"resume_step"`
	EMARates         []float64 `json:"ema_rates"`
	Betas            []float64 `json:"betas"`
	Eps              float64   `json:"eps"`
	Params           []struct {
		Name  string    `json:"name"`
		Value []float64 `json:"value"`
	} `json:"params"`
	Steps []struct {
		Grads       [][]float64   `json:"grads"`
		PreClipNorm *float64      `json:"pre_clip_norm"`
		GradNorm    float64       `json:"grad_norm"`
		LR          float64       `json:"lr"`
		Value       [][]float64   `json:"value"`
		ExpAvg      [][]float64   `json:"exp_avg"`
		ExpAvgSq    [][]float64   `json:"exp_avg_sq"`
		EMA         [][][]float64 `json:"ema"`
	} `json:"steps"`
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	b, err := os.ReadFile("../testdata/optim/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Scenarios) == 0 {
		t.Fatal("golden.json has no scenarios")
	}
	return g
}

func to32(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}

// Tolerance against PyTorch. Every element of θ, v and the EMAs must be
// within relTol of torch's value relative to its magnitude; m = β₁m + (1−β₁)g
// can cancel to nearly zero, so its error is measured relative to the size of
// the two terms, β₁|m_prev| + (1−β₁)|g|. What remains is one-ulp differences
// from PyTorch's float32 norm reductions and fused multiply-adds.
const relTol = 1e-6

// relTolFree is the budget of the free-running comparison, where those
// one-ulp differences could compound over a scenario's steps (measured: they
// stay below 5e-7 over 6 steps, so the same bound holds).
const relTolFree = relTol

// maxRel returns max_i |got_i − want_i| / scale_i.
func maxRel(got []float32, want []float64, scale []float64) float64 {
	worst := 0.0
	for i := range got {
		d := math.Abs(float64(got[i]) - want[i])
		if d == 0 {
			continue
		}
		worst = max(worst, d/scale[i])
	}
	return worst
}

func absScale(x []float64) []float64 {
	s := make([]float64, len(x))
	for i, v := range x {
		s[i] = max(math.Abs(v), 1e-30)
	}
	return s
}

// momentScale is β₁|m_prev| + (1−β₁)|g·c| with c the clip coefficient.
func momentScale(mPrev, g []float64, beta1, c float64) []float64 {
	s := make([]float64, len(g))
	for i := range g {
		s[i] = max(beta1*math.Abs(mPrev[i])+(1-beta1)*math.Abs(g[i]*c), 1e-30)
	}
	return s
}

// clipCoef recovers the coefficient torch applied: grad_norm after clipping
// over the norm of the raw gradients (1 when clipping is off).
func clipCoef(grads [][]float64, gradNorm float64) float64 {
	var sq float64
	for _, g := range grads {
		for _, v := range g {
			sq += v * v
		}
	}
	if sq == 0 {
		return 1
	}
	return gradNorm / math.Sqrt(sq)
}

func configOf(sc goldenScenario) Config {
	return Config{
		LR: sc.LR, LearningSteps: sc.LearningSteps,
		Beta1: sc.Betas[0], Beta2: sc.Betas[1], Eps: sc.Eps,
		WeightDecay: sc.WeightDecay, GradClip: sc.GradientClipping,
		EMARates: sc.EMARates,
	}
}

// torchState is the scenario's state before step s, as an optim.State:
// the initial values (zero moments) for s = 0, torch's values afterwards.
func torchState(o *Optimizer, sc goldenScenario, s int) State {
	st := State{Update: sc.ResumeStep + s, AdamStep: s, Tensors: map[string][]float32{}}
	for i, p := range sc.Params {
		n := len(p.Value)
		if s == 0 {
			st.Tensors[KeyExpAvg+p.Name] = make([]float32, n)
			st.Tensors[KeyExpAvgSq+p.Name] = make([]float32, n)
			for _, e := range o.EMAs() {
				st.Tensors[EMAKey(e, p.Name)] = to32(p.Value)
			}
			continue
		}
		prev := sc.Steps[s-1]
		st.Tensors[KeyExpAvg+p.Name] = to32(prev.ExpAvg[i])
		st.Tensors[KeyExpAvgSq+p.Name] = to32(prev.ExpAvgSq[i])
		for k, e := range o.EMAs() {
			st.Tensors[EMAKey(e, p.Name)] = to32(prev.EMA[k][i])
		}
	}
	return st
}

// checkStep compares the optimizer after step s of sc with torch, returning
// the worst scaled error.
func checkStep(t *testing.T, o *Optimizer, sc goldenScenario, s int, st StepStats, tol float64) float64 {
	t.Helper()
	want := sc.Steps[s]
	if st.LR != want.LR {
		t.Errorf("step %d: lr %v, torch %v", s, st.LR, want.LR)
	}
	if st.Update != s+sc.ResumeStep {
		t.Errorf("step %d: update index %d, want %d", s, st.Update, s+sc.ResumeStep)
	}
	if want.PreClipNorm != nil {
		if r := math.Abs(float64(st.PreClipNorm)-*want.PreClipNorm) / *want.PreClipNorm; r > tol {
			t.Errorf("step %d: pre-clip norm %v, torch %v", s, st.PreClipNorm, *want.PreClipNorm)
		}
	} else if st.PreClipNorm != 0 {
		t.Errorf("step %d: clipping is off but pre-clip norm is %v", s, st.PreClipNorm)
	}
	if r := math.Abs(st.GradNorm-want.GradNorm) / want.GradNorm; r > tol {
		t.Errorf("step %d: grad_norm %v, torch %v", s, st.GradNorm, want.GradNorm)
	}
	coef := clipCoef(want.Grads, want.GradNorm)
	worst := 0.0
	for i, p := range o.Params() {
		mPrev := make([]float64, len(p.Value))
		if s > 0 {
			mPrev = sc.Steps[s-1].ExpAvg[i]
		}
		cases := []struct {
			what  string
			got   []float32
			want  []float64
			scale []float64
		}{
			{"value", p.Value, want.Value[i], absScale(want.Value[i])},
			{"exp_avg", o.adam.expAvg[i], want.ExpAvg[i], momentScale(mPrev, want.Grads[i], sc.Betas[0], coef)},
			{"exp_avg_sq", o.adam.expAvgSq[i], want.ExpAvgSq[i], absScale(want.ExpAvgSq[i])},
		}
		for k, e := range o.EMAs() {
			cases = append(cases, struct {
				what  string
				got   []float32
				want  []float64
				scale []float64
			}{"ema_" + e.RateString(), e.Values[i], want.EMA[k][i], absScale(want.EMA[k][i])})
		}
		for _, c := range cases {
			r := maxRel(c.got, c.want, c.scale)
			worst = max(worst, r)
			if r > tol {
				t.Errorf("step %d %s %s: max scaled error %.3g > %g", s, p.Name, c.what, r, tol)
			}
		}
	}
	return worst
}

func newFromGolden(t *testing.T, sc goldenScenario) (*Optimizer, []Param) {
	t.Helper()
	params := make([]Param, len(sc.Params))
	for i, p := range sc.Params {
		params[i] = Param{Name: p.Name, Value: to32(p.Value), Grad: make([]float32, len(p.Value))}
	}
	o, err := New(configOf(sc), params)
	if err != nil {
		t.Fatal(err)
	}
	return o, params
}

// TestAgainstPyTorchPerStep starts every step from torch's own previous
// state (loaded through LoadState), so the error of a single step is
// measured without compounding.
func TestAgainstPyTorchPerStep(t *testing.T) {
	g := loadGolden(t)
	for _, sc := range g.Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			o, params := newFromGolden(t, sc)
			worst := 0.0
			for s, want := range sc.Steps {
				if err := o.LoadState(torchState(o, sc, s)); err != nil {
					t.Fatal(err)
				}
				prevValue := sc.Params
				for i := range params {
					if s == 0 {
						copy(params[i].Value, to32(prevValue[i].Value))
					} else {
						copy(params[i].Value, to32(sc.Steps[s-1].Value[i]))
					}
					copy(params[i].Grad, to32(want.Grads[i]))
				}
				worst = max(worst, checkStep(t, o, sc, s, o.Step(), relTol))
			}
			t.Logf("torch %s, %d steps: worst per-step scaled error %.3g (tolerance %g)", g.Torch, len(sc.Steps), worst, relTol)
		})
	}
}

// TestAgainstPyTorchFreeRunning runs each scenario from its start, as a
// training run would, including the reference's resume (SetResumeStep).
func TestAgainstPyTorchFreeRunning(t *testing.T) {
	g := loadGolden(t)
	for _, sc := range g.Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			o, params := newFromGolden(t, sc)
			o.SetResumeStep(sc.ResumeStep)
			worst := 0.0
			for s, want := range sc.Steps {
				for i := range params {
					copy(params[i].Grad, to32(want.Grads[i]))
				}
				worst = max(worst, checkStep(t, o, sc, s, o.Step(), relTolFree))
			}
			t.Logf("torch %s, %d steps: worst scaled error %.3g (tolerance %g)", g.Torch, len(sc.Steps), worst, relTolFree)
		})
	}
}
