package optim

import (
	"fmt"
	"strconv"
	"strings"
)

// Config holds the reference's optimisation hyper-parameters (spec 4.1).
type Config struct {
	LR            float64   // base learning rate, lr
	LearningSteps int       // anneal horizon, learning_steps; ≤ 0 keeps lr constant
	Beta1, Beta2  float64   // AdamW betas
	Eps           float64   // AdamW eps
	WeightDecay   float64   // AdamW decoupled weight decay, weight_decay
	GradClip      float64   // gradient_clipping: clip the global norm to this if > 0
	EMARates      []float64 // ema_rate, one EMA copy per rate
}

// DefaultConfig returns the values of the reference's diffuseq/config.json:
// lr 1e-4, learning_steps 320000, betas (0.9, 0.999), eps 1e-8,
// weight_decay 0, gradient_clipping −1 (off), ema_rate "0.9999".
func DefaultConfig() Config {
	return Config{
		LR: 1e-4, LearningSteps: 320000,
		Beta1: 0.9, Beta2: 0.999, Eps: 1e-8,
		WeightDecay: 0, GradClip: -1,
		EMARates: []float64{0.9999},
	}
}

// ParseEMARates parses the reference's ema_rate flag, a comma-separated
// list such as "0.9999" or "0.999,0.9999".
func ParseEMARates(s string) ([]float64, error) {
	var rates []float64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		r, err := strconv.ParseFloat(f, 64)
		if err != nil || r < 0 || r > 1 {
			return nil, fmt.Errorf("ema_rate: %q is not a rate in [0, 1]", f)
		}
		rates = append(rates, r)
	}
	return rates, nil
}

func (c Config) validate() error {
	switch {
	case !(c.LR >= 0):
		return fmt.Errorf("optim: lr must be ≥ 0, got %v", c.LR)
	case !(c.Beta1 >= 0 && c.Beta1 < 1):
		return fmt.Errorf("optim: beta1 must be in [0, 1), got %v", c.Beta1)
	case !(c.Beta2 >= 0 && c.Beta2 < 1):
		return fmt.Errorf("optim: beta2 must be in [0, 1), got %v", c.Beta2)
	case !(c.Eps >= 0):
		return fmt.Errorf("optim: eps must be ≥ 0, got %v", c.Eps)
	case !(c.WeightDecay >= 0):
		return fmt.Errorf("optim: weight_decay must be ≥ 0, got %v", c.WeightDecay)
	}
	seen := map[string]bool{}
	for _, r := range c.EMARates {
		if !(r >= 0 && r <= 1) {
			return fmt.Errorf("optim: ema_rate %v is not in [0, 1]", r)
		}
		s := strconv.FormatFloat(r, 'g', -1, 64)
		if seen[s] {
			return fmt.Errorf("optim: ema_rate %v is listed twice", r)
		}
		seen[s] = true
	}
	return nil
}

// Optimizer runs the reference's whole optimisation step (clip, log norm,
// anneal, AdamW, EMA) over a fixed parameter list.
type Optimizer struct {
	cfg    Config
	params []Param
	adam   *AdamW
	emas   []*EMA
	update int // s: global index of the next update (step + resume_step)

	elems    int              // total number of parameter elements
	chunks   []chunk          // the parallel split of all elements, fixed at New
	consts   adamwConsts      // this step's AdamW scalars, read by updateChunks
	updateFn func(lo, hi int) // o.updateChunks, bound once so Step does not allocate
}

// StepStats describes one update, for the run log.
type StepStats struct {
	Update      int     // s, the 0-based global update index just applied
	LR          float64 // lr_s used by this update
	GradNorm    float64 // the logged grad_norm: after clipping, as the reference logs it
	PreClipNorm float32 // clip_grad_norm_'s return value; 0 when clipping is off
}

// New builds an optimizer for params. The EMA copies start as copies of the
// current values, as in the reference (ema initialised = params at step 0).
func New(cfg Config, params []Param) (*Optimizer, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := checkParams(params); err != nil {
		return nil, err
	}
	cfg.EMARates = append([]float64(nil), cfg.EMARates...)
	o := &Optimizer{
		cfg:    cfg,
		params: append([]Param(nil), params...),
		adam:   NewAdamW(params, cfg.Beta1, cfg.Beta2, cfg.Eps, cfg.WeightDecay),
	}
	for _, r := range cfg.EMARates {
		o.emas = append(o.emas, NewEMA(r, params))
	}
	o.chunks = splitChunks(o.params)
	for _, p := range o.params {
		o.elems += len(p.Value)
	}
	o.updateFn = o.updateChunks
	return o, nil
}

// Config returns the configuration the optimizer was built with.
func (o *Optimizer) Config() Config { return o.cfg }

// Params returns the parameter list (shared with the caller's model).
func (o *Optimizer) Params() []Param { return o.params }

// Update returns s, the global index of the next update; after n calls to
// Step from a fresh start it is n (plus any resume step).
func (o *Optimizer) Update() int { return o.update }

// LR returns the learning rate the next Step will use.
func (o *Optimizer) LR() float64 { return AnnealLR(o.cfg.LR, o.update, o.cfg.LearningSteps) }

// EMAs returns the moving averages, one per configured rate, in order.
func (o *Optimizer) EMAs() []*EMA { return o.emas }

// Step applies one update to the parameters from their accumulated
// gradients, in the reference's order. Gradients are scaled in place when
// clipping is on and are left for the caller to zero.
func (o *Optimizer) Step() StepStats {
	st := StepStats{Update: o.update}
	if o.cfg.GradClip > 0 {
		st.PreClipNorm = ClipGradNorm(o.params, o.cfg.GradClip)
	}
	st.GradNorm = GradNorm(o.params)
	st.LR = AnnealLR(o.cfg.LR, o.update, o.cfg.LearningSteps)
	for i, p := range o.params {
		o.adam.checkLen(i, p)
		for _, e := range o.emas {
			e.checkLen(i, p)
		}
	}
	o.consts = o.adam.begin(st.LR)
	o.runUpdates() // AdamW, then every EMA, element by element
	o.update++
	return st
}

// SetResumeStep reproduces the reference's resume (spec 4.5): the weights
// were loaded by the caller, the learning-rate schedule continues at update
// resumeStep, AdamW starts fresh (zero moments, bias correction from 1), and
// every EMA restarts from the loaded weights. To continue an EMA saved by
// the reference, copy it into EMAs()[i].Values afterwards.
func (o *Optimizer) SetResumeStep(resumeStep int) {
	if resumeStep < 0 {
		panic(fmt.Sprintf("optim: SetResumeStep(%d): negative step", resumeStep))
	}
	o.update = resumeStep
	o.adam.Reset()
	for _, e := range o.emas {
		e.Reset(o.params)
	}
}
