package optim

import (
	"fmt"
	"sort"
)

// State is everything an Optimizer carries between steps, keyed by
// parameter name so that it can be stored next to the weights in a
// checkpoint and restored into a freshly built model.
//
// Tensor keys are
//
//	"exp_avg." + name      AdamW first moment m
//	"exp_avg_sq." + name   AdamW second moment v
//	"ema_" + rate + "." + name   the EMA copy for that rate, e.g. "ema_0.9999.lm_head.bias"
type State struct {
	Update   int // s: global index of the next update (drives the lr anneal)
	AdamStep int // k: AdamW steps since its moments started (drives bias correction)
	Tensors  map[string][]float32
}

// Key prefixes of State.Tensors.
const (
	KeyExpAvg   = "exp_avg."
	KeyExpAvgSq = "exp_avg_sq."
)

// EMAKey is the State key of the EMA copy of parameter name at the given rate.
func EMAKey(e *EMA, name string) string { return "ema_" + e.RateString() + "." + name }

// State returns a deep copy of the optimizer state.
func (o *Optimizer) State() State {
	st := State{Update: o.update, AdamStep: o.adam.step, Tensors: map[string][]float32{}}
	for i, p := range o.params {
		st.Tensors[KeyExpAvg+p.Name] = append([]float32(nil), o.adam.expAvg[i]...)
		st.Tensors[KeyExpAvgSq+p.Name] = append([]float32(nil), o.adam.expAvgSq[i]...)
		for _, e := range o.emas {
			st.Tensors[EMAKey(e, p.Name)] = append([]float32(nil), e.Values[i]...)
		}
	}
	return st
}

// LoadState copies st into the optimizer. Every expected tensor must be
// present with the right length and no unknown tensor may be present, so a
// checkpoint from a different model or EMA configuration is refused rather
// than half-loaded. On error the optimizer is unchanged.
func (o *Optimizer) LoadState(st State) error {
	if st.Update < 0 || st.AdamStep < 0 {
		return fmt.Errorf("optim: state has negative counters (update %d, adam step %d)", st.Update, st.AdamStep)
	}
	want := 0
	check := func(key string, n int) error {
		t, ok := st.Tensors[key]
		if !ok {
			return fmt.Errorf("optim: state has no tensor %q", key)
		}
		if len(t) != n {
			return fmt.Errorf("optim: state tensor %q has %d values, parameter has %d", key, len(t), n)
		}
		want++
		return nil
	}
	for _, p := range o.params {
		n := len(p.Value)
		if err := check(KeyExpAvg+p.Name, n); err != nil {
			return err
		}
		if err := check(KeyExpAvgSq+p.Name, n); err != nil {
			return err
		}
		for _, e := range o.emas {
			if err := check(EMAKey(e, p.Name), n); err != nil {
				return err
			}
		}
	}
	if len(st.Tensors) != want {
		var extra []string
		for k := range st.Tensors {
			if !o.knows(k) {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		return fmt.Errorf("optim: state has %d unexpected tensors, e.g. %q", len(extra), extra[0])
	}
	o.update, o.adam.step = st.Update, st.AdamStep
	for i, p := range o.params {
		copy(o.adam.expAvg[i], st.Tensors[KeyExpAvg+p.Name])
		copy(o.adam.expAvgSq[i], st.Tensors[KeyExpAvgSq+p.Name])
		for _, e := range o.emas {
			copy(e.Values[i], st.Tensors[EMAKey(e, p.Name)])
		}
	}
	return nil
}

func (o *Optimizer) knows(key string) bool {
	for _, p := range o.params {
		if key == KeyExpAvg+p.Name || key == KeyExpAvgSq+p.Name {
			return true
		}
		for _, e := range o.emas {
			if key == EMAKey(e, p.Name) {
				return true
			}
		}
	}
	return false
}
