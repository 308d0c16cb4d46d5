package optim

import (
	"math"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// testParams builds a small DiffuSeq-like parameter list with deterministic
// values.
func testParams(sizes ...int) []Param {
	names := []string{"word_embedding.weight", "lm_head.bias", "time_embed.0.weight", "input_up_proj.0.bias"}
	var ps []Param
	for i, n := range sizes {
		p := Param{Name: names[i%len(names)] + strings.Repeat("_", i/len(names)), Value: make([]float32, n), Grad: make([]float32, n)}
		for j := range p.Value {
			p.Value[j] = float32(math.Sin(float64(7*i + j)))
		}
		ps = append(ps, p)
	}
	return ps
}

// fillGrads writes a deterministic gradient for update s, some steps large
// enough to be clipped.
func fillGrads(ps []Param, s int) {
	for i, p := range ps {
		for j := range p.Grad {
			p.Grad[j] = float32(math.Cos(float64(3*s+5*i+j))) * float32(1+s%3)
		}
	}
}

func testConfig() Config {
	c := DefaultConfig()
	c.LR, c.LearningSteps, c.WeightDecay, c.GradClip = 1e-3, 50, 0.01, 2.0
	c.EMARates = []float64{0.9999, 0.99}
	return c
}

func cloneParams(ps []Param) []Param {
	out := make([]Param, len(ps))
	for i, p := range ps {
		out[i] = Param{Name: p.Name, Value: append([]float32(nil), p.Value...), Grad: make([]float32, len(p.Grad))}
	}
	return out
}

func TestResumeFromStateIsBitIdentical(t *testing.T) {
	const total, cut = 12, 5
	ref := testParams(40, 7, 12)
	oRef, err := New(testConfig(), ref)
	if err != nil {
		t.Fatal(err)
	}
	resumed := cloneParams(ref)
	for s := range total {
		fillGrads(ref, s)
		oRef.Step()
	}

	first, _ := New(testConfig(), resumed)
	for s := range cut {
		fillGrads(resumed, s)
		first.Step()
	}
	saved := first.State()
	// A new process: fresh model memory holding the saved weights.
	again := cloneParams(resumed)
	second, _ := New(testConfig(), again)
	if err := second.LoadState(saved); err != nil {
		t.Fatal(err)
	}
	if second.Update() != cut {
		t.Fatalf("resumed update index %d, want %d", second.Update(), cut)
	}
	for s := cut; s < total; s++ {
		fillGrads(again, s)
		second.Step()
	}
	for i := range ref {
		for j := range ref[i].Value {
			if ref[i].Value[j] != again[i].Value[j] {
				t.Fatalf("%s[%d]: resumed %v, uninterrupted %v", ref[i].Name, j, again[i].Value[j], ref[i].Value[j])
			}
		}
	}
	a, b := oRef.State(), second.State()
	if a.Update != b.Update || a.AdamStep != b.AdamStep || len(a.Tensors) != len(b.Tensors) {
		t.Fatalf("state counters/keys differ: %d/%d/%d vs %d/%d/%d", a.Update, a.AdamStep, len(a.Tensors), b.Update, b.AdamStep, len(b.Tensors))
	}
	for k, v := range a.Tensors {
		w := b.Tensors[k]
		for j := range v {
			if v[j] != w[j] {
				t.Fatalf("%s[%d]: resumed %v, uninterrupted %v", k, j, w[j], v[j])
			}
		}
	}
}

func TestStateKeysAndCopy(t *testing.T) {
	ps := testParams(3, 2)
	o, _ := New(testConfig(), ps)
	fillGrads(ps, 0)
	o.Step()
	st := o.State()
	for _, k := range []string{"exp_avg.word_embedding.weight", "exp_avg_sq.lm_head.bias", "ema_0.9999.lm_head.bias", "ema_0.99.word_embedding.weight"} {
		if _, ok := st.Tensors[k]; !ok {
			t.Errorf("State has no key %q", k)
		}
	}
	if len(st.Tensors) != 2*4 {
		t.Errorf("State has %d tensors, want 8", len(st.Tensors))
	}
	st.Tensors["exp_avg.lm_head.bias"][0] = 42 // must not alias the optimizer
	if o.adam.expAvg[1][0] == 42 {
		t.Error("State aliases the optimizer's moments")
	}
	if st.Update != 1 || st.AdamStep != 1 {
		t.Errorf("counters %d/%d after one step, want 1/1", st.Update, st.AdamStep)
	}
}

func TestLoadStateRejectsMismatch(t *testing.T) {
	ps := testParams(3, 2)
	o, _ := New(testConfig(), ps)
	good := o.State()
	mutate := map[string]func(State) State{
		"missing tensor": func(s State) State { delete(s.Tensors, "exp_avg.lm_head.bias"); return s },
		"wrong length": func(s State) State {
			s.Tensors["ema_0.99.lm_head.bias"] = make([]float32, 5)
			return s
		},
		"unknown tensor": func(s State) State { s.Tensors["exp_avg.other"] = []float32{1}; return s },
		"negative step":  func(s State) State { s.Update = -1; return s },
	}
	wantMsg := map[string]string{
		"missing tensor": `no tensor "exp_avg.lm_head.bias"`,
		"wrong length":   `"ema_0.99.lm_head.bias" has 5 values, parameter has 2`,
		"unknown tensor": `"exp_avg.other"`,
		"negative step":  "negative counters",
	}
	for name, f := range mutate {
		st := o.State()
		st.Tensors["exp_avg.word_embedding.weight"][0] = 7 // would show a partial load
		err := o.LoadState(f(st))
		if err == nil || !strings.Contains(err.Error(), wantMsg[name]) {
			t.Errorf("%s: error %v, want one containing %q", name, err, wantMsg[name])
		}
		if o.adam.expAvg[0][0] != 0 {
			t.Fatalf("%s: failed LoadState modified the optimizer", name)
		}
	}
	if err := o.LoadState(good); err != nil {
		t.Errorf("own state refused: %v", err)
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	ok := testParams(2)
	cases := []struct {
		name   string
		cfg    func(*Config)
		params []Param
		want   string
	}{
		{"dup", nil, []Param{ok[0], ok[0]}, "appears twice"},
		{"empty name", nil, []Param{{Value: []float32{1}, Grad: []float32{0}}}, "empty name"},
		{"grad len", nil, []Param{{Name: "a", Value: []float32{1, 2}, Grad: []float32{0}}}, "2 values but 1 gradients"},
		{"beta1", func(c *Config) { c.Beta1 = 1 }, ok, "beta1"},
		{"lr", func(c *Config) { c.LR = math.NaN() }, ok, "lr"},
		{"ema", func(c *Config) { c.EMARates = []float64{1.5} }, ok, "ema_rate"},
		{"ema dup", func(c *Config) { c.EMARates = []float64{0.9, 0.9} }, ok, "twice"},
	}
	for _, c := range cases {
		cfg := DefaultConfig()
		if c.cfg != nil {
			c.cfg(&cfg)
		}
		_, err := New(cfg, c.params)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestAnnealLR(t *testing.T) {
	cases := []struct {
		lr        float64
		s, n      int
		want      float64
		exactness string
	}{
		{1e-4, 0, 40000, 1e-4, "first update uses the full lr"},
		{1e-4, 20000, 40000, 5e-5, "half way"},
		{1e-4, 39999, 40000, 2.500000000005276e-09, "last update (Python: 1e-4*(1-39999/40000))"},
		{1e-4, 7, 0, 1e-4, "no horizon: constant"},
	}
	for _, c := range cases {
		if got := AnnealLR(c.lr, c.s, c.n); got != c.want {
			t.Errorf("%s: AnnealLR(%v, %d, %d) = %v, want %v", c.exactness, c.lr, c.s, c.n, got, c.want)
		}
	}
}

func TestClipGradNorm(t *testing.T) {
	ps := []Param{
		{Name: "a", Value: make([]float32, 1), Grad: []float32{3}},
		{Name: "b", Value: make([]float32, 1), Grad: []float32{4}},
	}
	if n := ClipGradNorm(ps, 10); n != 5 || ps[0].Grad[0] != 3 || ps[1].Grad[0] != 4 {
		t.Errorf("below the bound: norm %v, grads %v %v; want 5 and untouched", n, ps[0].Grad[0], ps[1].Grad[0])
	}
	n := ClipGradNorm(ps, 1)
	coef := float32(1) / (float32(5) + float32(1e-6))
	if n != 5 || ps[0].Grad[0] != 3*coef || ps[1].Grad[0] != 4*coef {
		t.Errorf("clipped: norm %v grads %v %v, want 5, %v %v", n, ps[0].Grad[0], ps[1].Grad[0], 3*coef, 4*coef)
	}
	if g := GradNorm(ps); math.Abs(g-1) > 1e-6 {
		t.Errorf("norm after clipping to 1: %v", g)
	}
}

func TestSetResumeStepIsAFreshAdamW(t *testing.T) {
	ps := testParams(4)
	o, _ := New(testConfig(), ps)
	for s := range 3 {
		fillGrads(ps, s)
		o.Step()
	}
	o.SetResumeStep(10)
	if o.Update() != 10 || o.adam.StepCount() != 0 {
		t.Fatalf("after SetResumeStep(10): update %d, adam step %d", o.Update(), o.adam.StepCount())
	}
	for i, v := range o.adam.expAvg[0] {
		if v != 0 || o.adam.expAvgSq[0][i] != 0 {
			t.Fatal("moments not reset")
		}
	}
	for _, e := range o.EMAs() {
		for i, v := range e.Values[0] {
			if v != ps[0].Value[i] {
				t.Fatal("EMA not restarted from the weights")
			}
		}
	}
	if got, want := o.LR(), AnnealLR(1e-3, 10, 50); got != want {
		t.Errorf("lr after resume %v, want %v", got, want)
	}
}

func TestParseEMARates(t *testing.T) {
	r, err := ParseEMARates("0.9999, 0.999")
	if err != nil || len(r) != 2 || r[0] != 0.9999 || r[1] != 0.999 {
		t.Errorf("ParseEMARates: %v %v", r, err)
	}
	if _, err := ParseEMARates("0.9,x"); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("bad rate: error %v", err)
	}
}

func TestStepDoesNotAllocate(t *testing.T) {
	ps := testParams(1000, 30, 300) // below inlineBelow: runs on the caller
	o, _ := New(testConfig(), ps)
	s := 0
	allocs := testing.AllocsPerRun(50, func() {
		fillGrads(ps, s)
		o.Step()
		s++
	})
	if allocs != 0 {
		t.Errorf("Step allocates %v times per call", allocs)
	}
}

// TestParallelStepAllocatesOnlyThePoolsWaitGroup covers the parallel path:
// the only allocation is parallel.For's WaitGroup.
func TestParallelStepAllocatesOnlyThePoolsWaitGroup(t *testing.T) {
	prev := parallel.SetThreads(2)
	defer parallel.SetThreads(prev)
	ps := testParams(3*chunkLen, chunkLen/2)
	o, _ := New(testConfig(), ps)
	fillGrads(ps, 0)
	if allocs := testing.AllocsPerRun(5, func() { o.Step() }); allocs > 1 {
		t.Errorf("parallel Step allocates %v times per call, want ≤ 1", allocs)
	}
}

// TestThreadCountDoesNotChangeResults runs the same updates on one and on
// two workers and requires bit-identical weights, moments and EMAs.
func TestThreadCountDoesNotChangeResults(t *testing.T) {
	run := func(threads int) State {
		prev := parallel.SetThreads(threads)
		defer parallel.SetThreads(prev)
		ps := testParams(2*chunkLen+17, 1000, chunkLen-3)
		o, _ := New(testConfig(), ps)
		for s := range 4 {
			fillGrads(ps, s)
			o.Step()
		}
		st := o.State()
		for _, p := range ps {
			st.Tensors["value."+p.Name] = p.Value
		}
		return st
	}
	one, two := run(1), run(2)
	for k, v := range one.Tensors {
		w := two.Tensors[k]
		for i := range v {
			if math.Float32bits(v[i]) != math.Float32bits(w[i]) {
				t.Fatalf("%s[%d]: 1 thread %v, 2 threads %v", k, i, v[i], w[i])
			}
		}
	}
}

func TestNaNGradientPropagates(t *testing.T) {
	ps := testParams(3)
	o, _ := New(testConfig(), ps)
	ps[0].Grad[1] = float32(math.NaN())
	st := o.Step()
	if !math.IsNaN(st.GradNorm) || !math.IsNaN(float64(st.PreClipNorm)) {
		t.Errorf("NaN gradient: grad_norm %v, pre-clip %v; want NaN so the loop can notice", st.GradNorm, st.PreClipNorm)
	}
}
