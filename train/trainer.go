package train

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/optim"
	"github.com/diffuseq-go/diffuseq/tensor"
	"github.com/diffuseq-go/diffuseq/text"
)

// Trainer holds everything one training run changes: the model, the
// optimizer (AdamW moments and EMA copies), the timestep sampler's
// history, the random streams and the data position. A checkpoint saves
// all of it, so a resumed run continues bit for bit.
type Trainer struct {
	Cfg       Config
	Model     *model.TransformerNetModel
	Diffusion *diffuseq.Diffusion
	Tokenizer text.Tokenizer
	Opt       *optim.Optimizer

	sampler   diffuseq.TimestepSampler
	lossAware *diffuseq.LossAwareSampler // == sampler when schedule_sampler is lossaware

	noiseRNG *tensor.RNG // timesteps and Gaussian draws of training
	evalRNG  *tensor.RNG // the same for the validation pass, so it never shifts training
	v2RNG    *tensor.RNG // v2's discrete-noise draws, apart so v1 draws do not shift

	train, valid     *data.Loader
	trainDS, validDS *data.Dataset

	// SkipNLL leaves out the monitor-only nll (benchmarks compare against
	// a loss without it; the logged nll columns are then empty).
	SkipNLL bool

	tape   *autograd.Tape
	params []optim.Param
	step   int // updates done
}

// StepResult is what one optimisation step reports.
type StepResult struct {
	Update   int       // 0-based index of the update just applied
	T        []int     // sampled steps, one per example
	W        []float64 // their importance weights
	Loss     []float64 // per example (unweighted)
	MSE      []float64
	NLL      []float64
	DNLL     []float64
	TT       []float64
	GradNorm float64
	LR       float64
}

// add appends one microbatch's steps, weights and per-example terms.
func (r *StepResult) add(t []int, w []float32, loss []float64, ls Losses) {
	r.T, r.W = append(r.T, t...), append(r.W, f64(w)...)
	r.Loss = append(r.Loss, loss...)
	r.MSE = append(r.MSE, f64(ls.MSE)...)
	r.NLL = append(r.NLL, f64(ls.NLL)...)
	r.DNLL = append(r.DNLL, f64(ls.DecoderNLL)...)
	r.TT = append(r.TT, f64(ls.TTLoss)...)
}

// New prepares a fresh run: vocabulary, data, model initialised from the
// seed, optimizer, sampler.
func New(cfg Config, tok text.Tokenizer) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	mc, err := cfg.ModelConfig(tok.VocabSize())
	if err != nil {
		return nil, err
	}
	m, err := InitialModel(cfg, mc)
	if err != nil {
		return nil, err
	}
	return assemble(cfg, tok, m)
}

// NewForModel wraps an existing model for StepOn without a data folder
// (benchmarks, custom loops). cfg's data and vocab fields are ignored.
func NewForModel(cfg Config, m *model.TransformerNetModel) (*Trainer, error) {
	cfg.DataDir = ""
	return assemble(cfg, nil, m)
}

func assemble(cfg Config, tok text.Tokenizer, m *model.TransformerNetModel) (*Trainer, error) {
	dc := diffuseq.DefaultConfig()
	dc.DiffusionSteps, dc.NoiseSchedule = cfg.DiffSteps, cfg.NoiseSchedule
	d, err := diffuseq.New(dc)
	if err != nil {
		return nil, err
	}
	tr := &Trainer{Cfg: cfg, Model: m, Diffusion: d, Tokenizer: tok, tape: autograd.NewTape(),
		noiseRNG: tensor.NewRNG(cfg.Seed ^ 0x0a15e), evalRNG: tensor.NewRNG(cfg.Seed ^ 0xe7a1),
		v2RNG: tensor.NewRNG(cfg.Seed ^ 0xd15c)}
	switch cfg.ScheduleSampler {
	case "uniform":
		tr.sampler = diffuseq.UniformSampler{NumTimesteps: d.NumTimesteps}
	case "fixstep":
		tr.sampler = diffuseq.FixStepSampler{NumTimesteps: d.NumTimesteps}
	default:
		tr.lossAware = diffuseq.NewLossAwareSampler(d.NumTimesteps)
		tr.sampler = tr.lossAware
	}
	for _, p := range m.Params() {
		tr.params = append(tr.params, optim.Param{Name: p.Name, Value: p.Data(), Grad: p.Grad.Data()})
	}
	rates, err := optim.ParseEMARates(cfg.EMARate)
	if err != nil {
		return nil, fmt.Errorf("ema_rate: %v", err)
	}
	oc := optim.DefaultConfig()
	oc.LR, oc.LearningSteps, oc.WeightDecay, oc.GradClip, oc.EMARates = cfg.LR, cfg.LearningSteps, cfg.WeightDecay, cfg.GradientClipping, rates
	if tr.Opt, err = optim.New(oc, tr.params); err != nil {
		return nil, err
	}
	if cfg.DataDir != "" {
		if err := tr.openData(); err != nil {
			return nil, err
		}
	}
	return tr, nil
}

func (tr *Trainer) openData() error {
	seqLen := tr.Model.Config.SeqLen
	var err error
	opt := data.Options{SeqLen: seqLen, SkipBad: tr.Cfg.SkipBad}
	if tr.trainDS, err = data.Load(filepath.Join(tr.Cfg.DataDir, "train.jsonl"), tr.Tokenizer, opt); err != nil {
		return err
	}
	// The reference's training loader shuffles in torch's order (its sampler
	// seed is 0, whatever --seed says) and repeats
	// the order every epoch.
	if tr.train, err = data.NewLoader(tr.trainDS, data.LoaderOptions{BatchSize: tr.Cfg.Bsz, Shuffle: true, TorchOrder: true, Seed: 0, Repeat: true}); err != nil {
		return err
	}
	vpath := filepath.Join(tr.Cfg.DataDir, "valid.jsonl")
	if tr.validDS, err = data.Load(vpath, tr.Tokenizer, opt); err != nil {
		return err
	}
	tr.valid, err = data.NewLoader(tr.validDS, data.LoaderOptions{BatchSize: tr.Cfg.Bsz, Shuffle: true, Seed: tr.Cfg.Seed + 1, Repeat: true})
	return err
}

// Skipped reports how many bad lines of train.jsonl and valid.jsonl were
// skipped (with Config.SkipBad).
func (tr *Trainer) Skipped() (train, valid int) {
	if tr.trainDS == nil {
		return 0, 0
	}
	return tr.trainDS.Skipped(), tr.validDS.Skipped()
}

// StepCount is the number of updates done so far.
func (tr *Trainer) StepCount() int { return tr.step }

// Done reports whether learning_steps updates have been made.
func (tr *Trainer) Done() bool { return tr.step >= tr.Cfg.LearningSteps }

// batchFrom flattens a loader batch.
func batchFrom(b data.Batch) Batch {
	n, l := len(b.InputIDs), len(b.InputIDs[0])
	out := Batch{B: n, L: l, InputIDs: make([]int, 0, n*l), Mask: make([]int, 0, n*l)}
	for i := range b.InputIDs {
		out.InputIDs = append(out.InputIDs, b.InputIDs[i]...)
		out.Mask = append(out.Mask, b.InputMask[i]...)
	}
	return out
}

// sub returns rows [lo, hi) of b.
func (b Batch) sub(lo, hi int) Batch {
	return Batch{B: hi - lo, L: b.L, InputIDs: b.InputIDs[lo*b.L : hi*b.L], Mask: b.Mask[lo*b.L : hi*b.L]}
}

// Step runs one optimisation step (reference 4.2) on the next batch.
func (tr *Trainer) Step() (StepResult, error) {
	db, err := tr.train.Next()
	if err != nil {
		return StepResult{}, err
	}
	return tr.StepOn(batchFrom(db))
}

// StepOn runs one optimisation step on batch bt: gradients are summed over
// microbatches (each backpropagating the mean of weight·loss, as the
// reference does), the loss-aware history is updated after each
// microbatch, then AdamW with the annealed lr and the EMA update.
func (tr *Trainer) StepOn(bt Batch) (StepResult, error) {
	res := StepResult{Update: tr.step}
	autograd.Params(tr.Model.Params()).ZeroGrad()
	for lo := 0; lo < bt.B; lo += tr.Cfg.Microbatch {
		mb := bt.sub(lo, min(lo+tr.Cfg.Microbatch, bt.B))
		t, w := diffuseq.SampleTimesteps(tr.sampler, mb.B, tr.noiseRNG)
		ls := tr.microbatchLoss(mb, t, tr.noiseRNG, tr.v2RNG, LossOptions{Train: true, SkipNLL: tr.SkipNLL})
		loss := f64(ls.Loss.Data())
		for i, v := range loss {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return res, fmt.Errorf("loss is %v at update %d (example %d, t=%d): stopping; the last checkpoint is kept", v, tr.step, lo+i, t[i])
			}
		}
		if tr.lossAware != nil {
			tr.lossAware.Update(t, loss)
		}
		tr.tape.Backward(Objective(tr.tape, ls.Loss, w))
		res.add(t, w, loss, ls)
	}
	tr.tape.Reset()
	st := tr.Opt.Step()
	res.GradNorm, res.LR = st.GradNorm, st.LR
	if math.IsNaN(st.GradNorm) || math.IsInf(st.GradNorm, 0) {
		return res, fmt.Errorf("gradient norm is %v at update %d: stopping; the last checkpoint is kept", st.GradNorm, tr.step)
	}
	tr.step++
	return res, nil
}

// EvalStep computes the losses of one validation batch, forward only. Like
// the reference it keeps dropout on (its loop never switches to eval mode)
// and does not update the timestep sampler.
func (tr *Trainer) EvalStep() (StepResult, error) {
	db, err := tr.valid.Next()
	if err != nil {
		return StepResult{}, err
	}
	bt := batchFrom(db)
	var res StepResult
	prev := tr.tape.SetGrad(false)
	defer tr.tape.SetGrad(prev)
	for lo := 0; lo < bt.B; lo += tr.Cfg.Microbatch {
		mb := bt.sub(lo, min(lo+tr.Cfg.Microbatch, bt.B))
		t, w := diffuseq.SampleTimesteps(tr.sampler, mb.B, tr.evalRNG)
		ls := tr.microbatchLoss(mb, t, tr.evalRNG, tr.evalRNG, LossOptions{Train: true})
		res.add(t, w, f64(ls.Loss.Data()), ls)
	}
	tr.tape.Reset()
	return res, nil
}

// microbatchLoss draws the noise of one microbatch at steps t and builds
// its loss on a fresh tape: LossFn, or LossFnV2 for a DiffuSeq-v2 run
// (drift to the model's mean_embed, discrete replacement drawn from v2rng).
func (tr *Trainer) microbatchLoss(mb Batch, t []int, rng, v2rng *tensor.RNG, opt LossOptions) Losses {
	nz := DrawNoise(rng, t, mb.B, mb.L, tr.Model.Config.HiddenDim)
	tr.tape.Reset()
	o := tr.Cfg.V2()
	if !o.LearnedMeanEmbed && !o.Denoise {
		return LossFn(tr.tape, tr.Model, tr.Diffusion, mb, nz, opt)
	}
	v2 := V2Noise{Noise: nz}
	if o.Denoise {
		v2.Replace = drawReplace(v2rng, tr.Diffusion, t, mb.B, mb.L, o.DenoiseRate)
	}
	return LossFnV2(tr.tape, tr.Model, tr.Model.MeanEmbed, tr.Diffusion, mb, v2, o, opt)
}

func f64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}
