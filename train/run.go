package train

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/diffuseq-go/diffuseq/internal/progress"
	"github.com/diffuseq-go/diffuseq/runlog"
)

// RunOptions controls the loop around the steps.
type RunOptions struct {
	Dir       string    // run folder: checkpoint, logs, plot
	VocabMode string    // how to reload the vocabulary from Dir (saved in checkpoints)
	Out       io.Writer // progress bar or log lines
	Terminal  bool      // draw the bar in place
	NoSync    bool      // skip fsync of log rows (tests)
	// StopAfter ends the loop after this many updates in total (0: run to
	// learning_steps). The checkpoint is written as at any stop.
	StopAfter int
}

// PlotFile is the loss curve written into the run folder.
const PlotFile = "loss.svg"

// Run trains until learning_steps updates (or ctx is cancelled, or
// StopAfter), following the reference loop (4.3): a validation batch every
// eval_interval updates (update 0 included), averaged logs every
// log_interval, a checkpoint every save_interval and at the end. On
// cancellation it writes a checkpoint and returns ctx.Err(); a NaN loss
// returns an error and keeps the last checkpoint untouched.
func (tr *Trainer) Run(ctx context.Context, opt RunOptions) error {
	unlock, err := lockRun(opt.Dir)
	if err != nil {
		return err
	}
	defer unlock()
	var lg *runlog.Log
	if tr.step == 0 {
		lg, err = runlog.Create(opt.Dir)
	} else {
		lg, err = runlog.Resume(opt.Dir, tr.step)
	}
	if err != nil {
		return err
	}
	lg.NoSync = opt.NoSync
	defer lg.Close()

	end := tr.Cfg.LearningSteps
	if opt.StopAfter > 0 {
		end = min(end, opt.StopAfter)
	}
	out := opt.Out
	if out == nil {
		out = io.Discard
	}
	bar := progress.NewMode(out, tr.step, end, opt.Terminal)
	defer bar.Finish()

	iv := runlog.NewInterval(tr.Diffusion.NumTimesteps)
	start, ivStart, ivSteps := time.Now(), time.Now(), 0
	lastSaved := tr.step
	save := func() error {
		if err := tr.Save(opt.Dir, opt.VocabMode); err != nil {
			return fmt.Errorf("saving checkpoint: %w", err)
		}
		lastSaved = tr.step
		return nil
	}
	for tr.step < end {
		if ctx.Err() != nil {
			bar.Log("interrupted at update %d: saving checkpoint", tr.step)
			if err := save(); err != nil {
				return err
			}
			return ctx.Err()
		}
		if tr.step%tr.Cfg.EvalInterval == 0 && tr.valid != nil {
			ev, err := tr.EvalStep()
			if err != nil {
				return err
			}
			eiv := runlog.NewInterval(tr.Diffusion.NumTimesteps)
			addTerms(eiv, ev)
			row := eiv.Row("eval")
			row.Step, row.Samples = tr.step, int64(tr.step)*int64(tr.Cfg.Bsz)
			row.ElapsedSec = time.Since(start).Seconds()
			if err := lg.Write(row); err != nil {
				return err
			}
		}
		res, err := tr.Step()
		if err != nil {
			return err
		}
		addTerms(iv, res)
		iv.AddGradNorm(res.GradNorm)
		ivSteps++
		bar.Update(tr.step, mean(res.Loss))
		// Like the reference, dump after update s when s % log_interval == 0
		// (so after the very first update too), and at the end.
		if res.Update%tr.Cfg.LogInterval == 0 || tr.step == end {
			row := iv.Row("train")
			row.Step, row.Samples = res.Update, int64(tr.step)*int64(tr.Cfg.Bsz)
			row.LR = res.LR
			row.StepsPerSec = float64(ivSteps) / time.Since(ivStart).Seconds()
			row.ElapsedSec = time.Since(start).Seconds()
			if err := lg.Write(row); err != nil {
				return err
			}
			iv.Reset()
			ivStart, ivSteps = time.Now(), 0
			if err := writePlot(opt.Dir); err != nil {
				bar.Log("loss plot: %v", err)
			}
		}
		if tr.step%tr.Cfg.SaveInterval == 0 {
			if err := save(); err != nil {
				return err
			}
		}
	}
	if lastSaved != tr.step {
		return save()
	}
	return nil
}

// addTerms adds one step's terms to the interval, multiplied by their
// importance weights as the reference's log_loss_dict receives them.
func addTerms(iv *runlog.Interval, r StepResult) {
	w := func(x []float64) []float64 {
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = v * r.W[i]
		}
		return out
	}
	iv.Loss.Add(r.T, w(r.Loss))
	iv.MSE.Add(r.T, w(r.MSE))
	if len(r.NLL) > 0 {
		iv.NLL.Add(r.T, w(r.NLL))
	}
	iv.DecoderNLL.Add(r.T, w(r.DNLL))
	iv.TT.Add(r.T, w(r.TT))
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / math.Max(1, float64(len(x)))
}

// writePlot redraws loss.svg from the run's CSV log (train and eval loss).
func writePlot(dir string) error {
	tab, err := runlog.ReadCSV(filepath.Join(dir, runlog.CSVFile))
	if err != nil {
		return err
	}
	p := runlog.Plot{Title: "DiffuSeq training loss", XLabel: "update", YLabel: "loss", LogY: true}
	for _, split := range []string{"train", "eval"} {
		xs, ys, err := tab.Where("split", split).Series("step", "loss")
		if err != nil {
			return err
		}
		if len(xs) > 0 {
			p.Series = append(p.Series, runlog.Series{Name: split, X: xs, Y: ys, Dashed: split == "eval"})
		}
	}
	if len(p.Series) == 0 {
		return nil
	}
	tmp := filepath.Join(dir, PlotFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := p.WriteSVG(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, PlotFile))
}
