package diffuseq

import (
	"fmt"
	"math"
)

// Uniform01 is an injectable source of uniform draws in [0, 1);
// *tensor.RNG satisfies it.
type Uniform01 interface {
	Float64() float64
}

// TimestepSampler draws training timesteps with importance weights
// (reference 3.6, schedule_sampler).
type TimestepSampler interface {
	// Weights are the unnormalised sampling weights w_t, t = 0..K−1.
	Weights() []float64
}

// SampleTimesteps draws n steps i.i.d. from p = w/Σw and returns them with
// their importance weights 1/(K·p_t), which make the weighted loss an
// unbiased estimate of the uniform-t loss. The draw inverts the CDF the
// way numpy.random.choice does: t = first index with cdf_t > u, where
// cdf = cumsum(p)/cdf_{K−1}.
func SampleTimesteps(s TimestepSampler, n int, rng Uniform01) (t []int, weights []float32) {
	w := s.Weights()
	k := len(w)
	var total float64
	for _, v := range w {
		total += v
	}
	p := make([]float64, k)
	cdf := make([]float64, k)
	var acc float64
	for i, v := range w {
		p[i] = v / total
		acc += p[i]
		cdf[i] = acc
	}
	for i := range cdf {
		cdf[i] /= acc
	}
	t, weights = make([]int, n), make([]float32, n)
	for i := range t {
		u := rng.Float64()
		lo, hi := 0, k-1 // first index with cdf > u (side='right')
		for lo < hi {
			mid := (lo + hi) / 2
			if cdf[mid] > u {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		t[i] = lo
		weights[i] = float32(1 / (float64(k) * p[lo]))
	}
	return t, weights
}

// UniformSampler weights every step equally (w = 1, importance weight 1).
type UniformSampler struct{ NumTimesteps int }

// Weights returns K ones.
func (u UniformSampler) Weights() []float64 {
	w := make([]float64, u.NumTimesteps)
	for i := range w {
		w[i] = 1
	}
	return w
}

// FixStepSampler is the reference's "fixstep": w = 1 for the first ⌊K/2⌋
// steps and 0.5 for the rest.
type FixStepSampler struct{ NumTimesteps int }

// Weights returns the fixstep weights.
func (f FixStepSampler) Weights() []float64 {
	w := make([]float64, f.NumTimesteps)
	for i := range w {
		w[i] = 1
		if i >= f.NumTimesteps/2 {
			w[i] = 0.5
		}
	}
	return w
}

// LossAwareSampler is the reference's LossSecondMomentResampler ("lossaware",
// the paper's choice). It remembers, per step t, the last HistoryPerTerm
// per-example losses; until every step has a full history the weights are
// uniform, afterwards
//
//	w_t = √(mean of the squared remembered losses of t),  normalised to Σ = 1,
//	w_t ← (1 − UniformProb)·w_t + UniformProb/K.
type LossAwareSampler struct {
	HistoryPerTerm int     // 10
	UniformProb    float64 // 0.001
	history        [][]float64
	counts         []int
}

// NewLossAwareSampler returns the paper's sampler (history 10, uniform
// mixture 0.001) over K steps.
func NewLossAwareSampler(k int) *LossAwareSampler {
	s := &LossAwareSampler{HistoryPerTerm: 10, UniformProb: 0.001}
	s.history = make([][]float64, k)
	for i := range s.history {
		s.history[i] = make([]float64, s.HistoryPerTerm)
	}
	s.counts = make([]int, k)
	return s
}

// WarmedUp reports whether every step has a full loss history.
func (s *LossAwareSampler) WarmedUp() bool {
	for _, c := range s.counts {
		if c != s.HistoryPerTerm {
			return false
		}
	}
	return true
}

// Weights implements TimestepSampler.
func (s *LossAwareSampler) Weights() []float64 {
	k := len(s.counts)
	w := make([]float64, k)
	if !s.WarmedUp() {
		for i := range w {
			w[i] = 1
		}
		return w
	}
	var total float64
	for t, h := range s.history {
		var sq float64
		for _, v := range h {
			sq += v * v
		}
		w[t] = math.Sqrt(sq / float64(len(h)))
		total += w[t]
	}
	for t := range w {
		w[t] = float64(w[t]/total*(1-s.UniformProb)) + s.UniformProb/float64(k)
	}
	return w
}

// Update records the (unweighted, detached) per-example losses of one
// microbatch, pairs processed in order: a step whose history is full drops
// its oldest loss. With several workers, pass the gathered pairs in worker
// order (the reference's all_gather).
func (s *LossAwareSampler) Update(t []int, losses []float64) {
	if len(t) != len(losses) {
		panic(fmt.Sprintf("diffuseq.LossAwareSampler.Update: %d timesteps and %d losses", len(t), len(losses)))
	}
	for i, ti := range t {
		if ti < 0 || ti >= len(s.counts) {
			panic(fmt.Sprintf("diffuseq.LossAwareSampler.Update: step %d out of range [0, %d)", ti, len(s.counts)))
		}
		h := s.history[ti]
		if s.counts[ti] == s.HistoryPerTerm {
			copy(h, h[1:])
			h[len(h)-1] = losses[i]
		} else {
			h[s.counts[ti]] = losses[i]
			s.counts[ti]++
		}
	}
}

// LossAwareState is the checkpointable state of a LossAwareSampler
// (JSON-friendly: a training checkpoint stores it in its metadata).
type LossAwareState struct {
	HistoryPerTerm int         `json:"history_per_term"`
	UniformProb    float64     `json:"uniform_prob"`
	History        [][]float64 `json:"history"` // (K, HistoryPerTerm)
	Counts         []int       `json:"counts"`  // (K)
}

// State exports a deep copy of the sampler's state.
func (s *LossAwareSampler) State() LossAwareState {
	st := LossAwareState{HistoryPerTerm: s.HistoryPerTerm, UniformProb: s.UniformProb, Counts: append([]int(nil), s.counts...)}
	st.History = make([][]float64, len(s.history))
	for i, h := range s.history {
		st.History[i] = append([]float64(nil), h...)
	}
	return st
}

// SetState restores a state saved by State. A state that does not fit
// (wrong number of steps, ragged history, counts out of range) is
// rejected with an error naming the field.
func (s *LossAwareSampler) SetState(st LossAwareState) error {
	k := len(st.Counts)
	if k != len(st.History) {
		return fmt.Errorf("diffuseq: loss-aware sampler state: %d counts but %d history rows", k, len(st.History))
	}
	if st.HistoryPerTerm < 1 || st.UniformProb < 0 || st.UniformProb > 1 {
		return fmt.Errorf("diffuseq: loss-aware sampler state: history_per_term %d / uniform_prob %v invalid", st.HistoryPerTerm, st.UniformProb)
	}
	for i := range k {
		if len(st.History[i]) != st.HistoryPerTerm {
			return fmt.Errorf("diffuseq: loss-aware sampler state: history[%d] has %d entries, want %d", i, len(st.History[i]), st.HistoryPerTerm)
		}
		if st.Counts[i] < 0 || st.Counts[i] > st.HistoryPerTerm {
			return fmt.Errorf("diffuseq: loss-aware sampler state: counts[%d] = %d outside [0, %d]", i, st.Counts[i], st.HistoryPerTerm)
		}
	}
	if s.counts != nil && len(s.counts) != k {
		return fmt.Errorf("diffuseq: loss-aware sampler state has %d steps, the sampler %d", k, len(s.counts))
	}
	cp := st
	s.HistoryPerTerm, s.UniformProb = cp.HistoryPerTerm, cp.UniformProb
	s.counts = append([]int(nil), cp.Counts...)
	s.history = make([][]float64, k)
	for i, h := range cp.History {
		s.history[i] = append([]float64(nil), h...)
	}
	return nil
}
