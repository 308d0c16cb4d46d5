package runlog

import (
	"math"
	"testing"
)

func TestTermMatchesLogLossDict(t *testing.T) {
	// T = 8: quartile = ⌊4t/8⌋ = ⌊t/2⌋.
	q := Term{T: 8}
	q.Add([]int{0, 1, 7}, []float64{1, 2, 6}) // batch mean 3
	q.Add([]int{2, 7}, []float64{10, 2})      // batch mean 6
	if got := q.Mean(); got != 4.5 {          // mean of batch means, not of examples (21/5)
		t.Errorf("Mean = %v, want 4.5 (each microbatch counts once)", got)
	}
	want := [4]float64{1.5, 10, math.NaN(), 4} // q0: {1,2}; q1: {10}; q2: none; q3: {6,2}
	got := q.Quartiles()
	for k := range want {
		if !(got[k] == want[k] || math.IsNaN(got[k]) && math.IsNaN(want[k])) {
			t.Errorf("quartile %d = %v, want %v", k, got[k], want[k])
		}
	}
	q.Reset()
	if !math.IsNaN(q.Mean()) || !math.IsNaN(q.Quartile(0)) {
		t.Error("Reset left values behind")
	}
}

func TestQuartileBoundariesT2000(t *testing.T) {
	q := Term{T: 2000}
	for _, c := range []struct{ t, k int }{{0, 0}, {499, 0}, {500, 1}, {999, 1}, {1000, 2}, {1500, 3}, {1999, 3}} {
		q.Reset()
		q.Add([]int{c.t}, []float64{1})
		if math.IsNaN(q.Quartile(c.k)) {
			t.Errorf("t=%d not counted in quartile %d", c.t, c.k)
		}
	}
}

func TestRunningMeanFormula(t *testing.T) {
	// The logger's update old·n/(n+1) + v/(n+1), not sum/n: the two differ
	// in the last bits for these values.
	var m runningMean
	vals := []float64{0.1, 0.7, 0.3, 1e-3, 5.5}
	want := 0.0
	for i, v := range vals {
		m.add(v)
		n := float64(i)
		want = want*n/(n+1) + v/(n+1)
	}
	if m.mean() != want {
		t.Errorf("running mean %v, want %v", m.mean(), want)
	}
}

func TestIntervalRow(t *testing.T) {
	iv := NewInterval(4)
	iv.Loss.Add([]int{0, 3}, []float64{2, 4})
	iv.MSE.Add([]int{0, 3}, []float64{1, 3})
	iv.AddGradNorm(1)
	iv.AddGradNorm(3)
	r := iv.Row("train")
	if r.Loss != 3 || r.MSE != 2 || r.GradNorm != 2 || r.LossQ[0] != 2 || r.LossQ[3] != 4 || !math.IsNaN(r.LossQ[1]) {
		t.Errorf("row %+v", r)
	}
	if !math.IsNaN(r.NLL) || !math.IsNaN(r.LR) {
		t.Error("terms never added must be NaN (not logged)")
	}
	iv.Reset()
	if r := iv.Row("train"); !math.IsNaN(r.Loss) || !math.IsNaN(r.GradNorm) {
		t.Error("Reset left values behind")
	}
}
