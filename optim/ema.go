package optim

import "strconv"

// EMA is one exponential moving average of the parameters, the weights the
// reference saves (ema_{rate}_{step}.pt) and decodes with. After every
// optimizer step, for every element:
//
//	ema ← rate·ema + (1 − rate)·θ       (targ.mul_(rate).add_(src, alpha=1−rate))
//
// Copies start equal to the parameters at construction (step 0).
type EMA struct {
	Rate   float64
	Values [][]float32 // one copy per parameter, same order as the Param list
}

// NewEMA copies the current parameter values.
func NewEMA(rate float64, params []Param) *EMA {
	e := &EMA{Rate: rate, Values: make([][]float32, len(params))}
	for i, p := range params {
		e.Values[i] = append([]float32(nil), p.Value...)
	}
	return e
}

// RateString is the rate as the reference writes it in file names
// ("0.9999" in ema_0.9999_050000.pt).
func (e *EMA) RateString() string { return strconv.FormatFloat(e.Rate, 'g', -1, 64) }

// Reset copies the current parameter values into the average, as the
// reference does when it resumes without an EMA file.
func (e *EMA) Reset(params []Param) {
	for i, p := range params {
		copy(e.Values[i], p.Value)
	}
}

// Update folds the current parameters into the average.
func (e *EMA) Update(params []Param) {
	if len(params) != len(e.Values) {
		panic("optim: EMA.Update got a different parameter list than NewEMA")
	}
	for i, p := range params {
		e.checkLen(i, p)
		e.update(e.Values[i], p.Value)
	}
}

// checkLen panics if parameter i no longer has the length NewEMA saw.
func (e *EMA) checkLen(i int, p Param) {
	if len(e.Values[i]) != len(p.Value) {
		panic("optim: EMA.Update: parameter " + p.Name + " changed length")
	}
}

// update folds src into ema elementwise (any sub-range of one parameter).
func (e *EMA) update(ema, src []float32) {
	rate := float32(e.Rate)
	oneMinus := float32(1 - e.Rate) // Python computes 1 − rate in float64
	src = src[:len(ema)]
	for j := range ema {
		ema[j] = fmadd(src[j], oneMinus, float32(ema[j]*rate))
	}
}
