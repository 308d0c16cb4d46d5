package runlog

import "math"

// runningMean is the OpenAI logger's logkv_mean: every call counts once and
// the mean is updated as old·n/(n+1) + v/(n+1), in float64. Reproducing the
// update formula (not sum/n) keeps our numbers bit-comparable with it.
type runningMean struct {
	val float64
	n   int
}

func (m *runningMean) add(v float64) {
	n := float64(m.n)
	m.val = m.val*n/(n+1) + v/(n+1)
	m.n++
}

// mean returns the average, NaN if nothing was added.
func (m *runningMean) mean() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	return m.val
}

// Term accumulates one loss term over a log interval the way the
// reference's log_loss_dict does, for the per-example values of each
// microbatch (already multiplied by their importance weights):
//
//	term     ← running mean over calls of mean_i(values_i)
//	term_qk  ← running mean over examples i with ⌊4·t_i/T⌋ = k of values_i
//
// So the plain mean weights every microbatch equally while the quartile
// means weight every example equally.
type Term struct {
	T     int // number of diffusion steps (num_timesteps)
	all   runningMean
	quart [4]runningMean
}

// Add records one microbatch: ts are the sampled steps (0 ≤ t < T) and
// values the per-example (weighted) term, same length.
func (q *Term) Add(ts []int, values []float64) {
	if len(ts) != len(values) {
		panic("runlog: Term.Add: len(ts) != len(values)")
	}
	if q.T <= 0 {
		panic("runlog: Term.Add: T (number of diffusion steps) not set")
	}
	if len(values) == 0 {
		return
	}
	var s float64
	for _, v := range values {
		s += v
	}
	q.all.add(s / float64(len(values)))
	for i, t := range ts {
		if t < 0 || t >= q.T {
			panic("runlog: Term.Add: timestep outside [0, T)")
		}
		q.quart[4*t/q.T].add(values[i])
	}
}

// Mean returns the interval mean, NaN if nothing was added.
func (q *Term) Mean() float64 { return q.all.mean() }

// Quartile returns the mean over examples whose t fell in quartile k
// (0 = least noisy), NaN if none did.
func (q *Term) Quartile(k int) float64 { return q.quart[k].mean() }

// Quartiles returns all four quartile means.
func (q *Term) Quartiles() [4]float64 {
	return [4]float64{q.Quartile(0), q.Quartile(1), q.Quartile(2), q.Quartile(3)}
}

// Reset starts a new interval (the logger clears after each dump).
func (q *Term) Reset() {
	q.all = runningMean{}
	q.quart = [4]runningMean{}
}

// Interval gathers everything one training log row averages: the loss
// terms per microbatch and the grad norm per step.
type Interval struct {
	Loss, MSE, NLL, DecoderNLL, TT Term
	gradNorm                       runningMean
}

// NewInterval returns an empty interval for a process with T diffusion steps.
func NewInterval(T int) *Interval {
	iv := &Interval{}
	for _, q := range []*Term{&iv.Loss, &iv.MSE, &iv.NLL, &iv.DecoderNLL, &iv.TT} {
		q.T = T
	}
	return iv
}

// AddGradNorm records one step's grad norm (logkv_mean("grad_norm", ·)).
func (iv *Interval) AddGradNorm(g float64) { iv.gradNorm.add(g) }

// Row fills a log row from the interval's averages; the caller sets the
// step, samples, lr and timing fields.
func (iv *Interval) Row(split string) Row {
	return Row{
		Split: split,
		Loss:  iv.Loss.Mean(), LossQ: iv.Loss.Quartiles(),
		MSE: iv.MSE.Mean(), MSEQ: iv.MSE.Quartiles(),
		NLL: iv.NLL.Mean(), NLLQ: iv.NLL.Quartiles(),
		DecoderNLL: iv.DecoderNLL.Mean(), TT: iv.TT.Mean(),
		GradNorm: iv.gradNorm.mean(),
		LR:       math.NaN(), StepsPerSec: math.NaN(), ElapsedSec: math.NaN(),
	}
}

// Reset starts a new interval.
func (iv *Interval) Reset() {
	for _, q := range []*Term{&iv.Loss, &iv.MSE, &iv.NLL, &iv.DecoderNLL, &iv.TT} {
		q.Reset()
	}
	iv.gradNorm = runningMean{}
}
