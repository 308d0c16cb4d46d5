package runlog

import (
	"math"
	"strconv"
	"strings"
)

// Row is one line of the run log: the averages over one log interval
// (train) or one validation batch (eval), as the reference dumps them.
// NaN means "not logged" and is written as an empty CSV cell and a JSON null.
type Row struct {
	Split   string // "train" or "eval"
	Step    int    // step + resume_step at the dump
	Samples int64  // (step + resume_step + 1) · global batch

	Loss, MSE, NLL    float64    // loss = mse + decoder_nll + tT_loss; nll is a monitor only
	LossQ, MSEQ, NLLQ [4]float64 // means per quartile of t (q0 = least noisy)
	DecoderNLL, TT    float64    // the rounding term and the prior term tT_loss
	GradNorm          float64    // mean over the interval's steps, after clipping
	LR                float64    // learning rate of the interval's last update
	StepsPerSec       float64    // over the interval
	ElapsedSec        float64    // wall time since the run (or the resume) started
}

// Columns are the log's columns, in file order. The loss names follow the
// reference's logger keys.
var Columns = []string{
	"split", "step", "samples",
	"loss", "loss_q0", "loss_q1", "loss_q2", "loss_q3",
	"mse", "mse_q0", "mse_q1", "mse_q2", "mse_q3",
	"nll", "nll_q0", "nll_q1", "nll_q2", "nll_q3",
	"decoder_nll", "tT_loss", "grad_norm", "lr", "steps_per_sec", "elapsed_sec",
}

// floats returns the float columns (from "loss" on) in Columns order.
func (r *Row) floats() []float64 {
	f := []float64{r.Loss}
	f = append(f, r.LossQ[:]...)
	f = append(f, r.MSE)
	f = append(f, r.MSEQ[:]...)
	f = append(f, r.NLL)
	f = append(f, r.NLLQ[:]...)
	return append(f, r.DecoderNLL, r.TT, r.GradNorm, r.LR, r.StepsPerSec, r.ElapsedSec)
}

// formatFloat writes the shortest decimal that reads back to the same
// float64; NaN and ±Inf become empty (they are "not logged" here).
func formatFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// csvLine renders the row as one CSV line (no quoting needed: the split is
// checked to be a plain word).
func (r *Row) csvLine() string {
	var b strings.Builder
	b.WriteString(r.Split)
	b.WriteByte(',')
	b.WriteString(strconv.Itoa(r.Step))
	b.WriteByte(',')
	b.WriteString(strconv.FormatInt(r.Samples, 10))
	for _, v := range r.floats() {
		b.WriteByte(',')
		b.WriteString(formatFloat(v))
	}
	b.WriteByte('\n')
	return b.String()
}

// jsonLine renders the row as one JSON object on one line, keys in Columns
// order, NaN as null.
func (r *Row) jsonLine() string {
	var b strings.Builder
	b.WriteString(`{"split":`)
	b.WriteString(strconv.Quote(r.Split))
	b.WriteString(`,"step":`)
	b.WriteString(strconv.Itoa(r.Step))
	b.WriteString(`,"samples":`)
	b.WriteString(strconv.FormatInt(r.Samples, 10))
	for i, v := range r.floats() {
		b.WriteString(`,"`)
		b.WriteString(Columns[3+i])
		b.WriteString(`":`)
		if s := formatFloat(v); s != "" {
			b.WriteString(s)
		} else {
			b.WriteString("null")
		}
	}
	b.WriteString("}\n")
	return b.String()
}
