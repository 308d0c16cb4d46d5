package diffuseq

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/tensor"
)

type fixedWeights []float64

func (w fixedWeights) Weights() []float64 { return w }

type constUniform float64

func (u constUniform) Float64() float64 { return float64(u) }

// TestSampleTimestepsInverseCDF pins the numpy.random.choice rule: the
// first index whose CDF exceeds u (side='right').
func TestSampleTimestepsInverseCDF(t *testing.T) {
	w := fixedWeights{1, 3} // p = 0.25, 0.75
	for _, c := range []struct {
		u    float64
		want int
	}{{0, 0}, {0.2499, 0}, {0.25, 1}, {0.999, 1}} {
		ts, iw := SampleTimesteps(w, 1, constUniform(c.u))
		if ts[0] != c.want {
			t.Errorf("u = %v: t = %d, want %d", c.u, ts[0], c.want)
		}
		wantW := float32(1 / (2 * []float64{0.25, 0.75}[c.want]))
		if iw[0] != wantW {
			t.Errorf("u = %v: importance weight %v, want %v", c.u, iw[0], wantW)
		}
	}
}

func TestSampleTimestepsFrequencies(t *testing.T) {
	rng := tensor.NewRNG(1)
	ts, iw := SampleTimesteps(UniformSampler{NumTimesteps: 4}, 40000, rng)
	counts := make([]int, 4)
	for i, v := range ts {
		counts[v]++
		if iw[i] != 1 {
			t.Fatalf("uniform importance weight %v", iw[i])
		}
	}
	for k, c := range counts {
		if math.Abs(float64(c)-10000) > 400 { // > 4 standard deviations
			t.Errorf("step %d drawn %d times of 40000", k, c)
		}
	}
	fs := FixStepSampler{NumTimesteps: 5}.Weights()
	if fs[0] != 1 || fs[1] != 1 || fs[2] != 0.5 || fs[4] != 0.5 {
		t.Errorf("fixstep weights %v", fs)
	}
}

// TestLossAwareSampler: uniform until every step has 10 losses, then
// w_t = √mean(loss²) normalised and mixed with 0.001 uniform; the history
// drops its oldest entry once full.
func TestLossAwareSampler(t *testing.T) {
	s := NewLossAwareSampler(3)
	for i := range 10 {
		s.Update([]int{0, 1}, []float64{1, 2})
		s.Update([]int{2}, []float64{float64(i)})
	}
	if !s.WarmedUp() {
		t.Fatal("not warmed up after 10 losses per step")
	}
	w := s.Weights()
	rms2 := math.Sqrt(285.0 / 10) // losses 0..9
	raw := []float64{1, 2, rms2}
	total := 3 + rms2
	for k := range w {
		want := raw[k]/total*0.999 + 0.001/3
		if math.Abs(w[k]-want) > 1e-15 {
			t.Errorf("w_%d = %v, want %v", k, w[k], want)
		}
	}
	// Shift: one more loss at step 2 drops the 0 and appends 100.
	s.Update([]int{2}, []float64{100})
	st := s.State()
	if st.History[2][0] != 1 || st.History[2][9] != 100 || st.Counts[2] != 10 {
		t.Errorf("history after shift %v", st.History[2])
	}

	fresh := NewLossAwareSampler(3)
	fresh.Update([]int{0}, []float64{5})
	for _, v := range fresh.Weights() {
		if v != 1 {
			t.Fatalf("weights before warm-up %v, want uniform", fresh.Weights())
		}
	}

	// State survives a JSON round trip and restores identical weights.
	blob, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var back LossAwareState
	if err := json.Unmarshal(blob, &back); err != nil {
		t.Fatal(err)
	}
	r := NewLossAwareSampler(3)
	if err := r.SetState(back); err != nil {
		t.Fatal(err)
	}
	rw, sw := r.Weights(), s.Weights()
	for k := range rw {
		if rw[k] != sw[k] {
			t.Fatalf("restored weights %v, want %v", rw, sw)
		}
	}
	// Restored state is a copy, not an alias.
	back.History[0][0] = 1e9
	if r.Weights()[0] != rw[0] {
		t.Error("SetState aliases the caller's history")
	}
}

func TestLossAwareStateErrors(t *testing.T) {
	good := NewLossAwareSampler(2).State()
	for _, c := range []struct {
		edit func(*LossAwareState)
		want string
	}{
		{func(s *LossAwareState) { s.Counts = s.Counts[:1] }, "1 counts but 2 history rows"},
		{func(s *LossAwareState) { s.History[1] = s.History[1][:3] }, "history[1] has 3 entries"},
		{func(s *LossAwareState) { s.Counts[0] = 11 }, "counts[0] = 11"},
		{func(s *LossAwareState) { s.UniformProb = 2 }, "uniform_prob"},
	} {
		st := NewLossAwareSampler(2).State()
		c.edit(&st)
		if err := NewLossAwareSampler(2).SetState(st); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetState error %v, want %q", err, c.want)
		}
	}
	if err := NewLossAwareSampler(3).SetState(good); err == nil {
		t.Error("a 2-step state was accepted by a 3-step sampler")
	}
}
