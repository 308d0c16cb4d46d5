package generate

import (
	"context"
	"fmt"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// DefaultBatchSize is run_decode.py's --bsz.
const DefaultBatchSize = 50

// Options are the decoding knobs (reference 5.1 and 3.8–3.10).
type Options struct {
	// Steps: 0 (or K) runs all K steps of the trained process; N < K runs
	// the ancestral sampler on the process respaced to N steps (or, with
	// DDIM, the reference's DDIM path). See the package doc.
	Steps int
	// DDIM selects the reference's --step path: deterministic DDIM (η = 0)
	// visiting K−1, K−1−gap, … with gap = ⌊K/Steps⌋; needs 0 < Steps < K.
	DDIM bool
	// Sampler, if set, selects one of diffuseq's fast samplers by name
	// ("ancestral", "ddim" — consistent DDIM on the respaced process —,
	// "dpm-solver++", "dpm-solver++-v2ref") with Steps network
	// evaluations (0 = all K; 10 for DPM-Solver++). "" is the reference
	// decoder described by Steps and DDIM. See docs/sampling.md.
	Sampler diffuseq.Sampler
	// ClampStep: rounding to the nearest embedding at step t iff
	// t ≥ ClampStep (0 = every step, the reference default). Ignored by
	// DDIM, as in the reference.
	ClampStep int
	// TopP > 0 truncates the step noise to |z| ≤ TopP (reference 3.9, not
	// nucleus sampling); ≤ 0 is plain N(0, I). Ignored by DDIM.
	TopP float64
	// DenoiseRate λ > 0 adds DiffuSeq-v2's sampling-time discrete noise to
	// the ancestral samplers (diffuseq.SampleOptions.DenoiseRate): a share
	// of the target positions is reset to the learned absorbing state each
	// step. Needs a v2 model (a mean_embed); 0 = off, as the v1 decoder.
	DenoiseRate float64
	// Seed seeds the one RNG of the call (the reference's seed2).
	Seed uint64
	// Noise, if not nil, replaces that RNG: every N(0, 1) draw (x_T's
	// noise, then the step noises, batch after batch) comes from it, e.g.
	// to replay the draws recorded from the reference. Do not share one
	// between concurrent calls.
	Noise diffuseq.Normal
	// BatchSize is the number of rows decoded together (0 = 50). It
	// changes how the random draws are grouped, hence the sample.
	BatchSize int

	// TraceEvery k > 0 records the read-out tokens of x_T, of the state
	// after every k-th reverse step and after the last one into
	// Result.Trajectory.
	TraceEvery int
	// Trace, if not nil (and TraceEvery > 0), also receives every frame as
	// soon as it is computed: i is the index of the row in the input.
	// It runs on the calling goroutine.
	Trace func(i int, f Frame)
	// Progress, if not nil, is called on the calling goroutine after
	// every reverse step.
	Progress func(Progress)

	// Resume, if not nil, continues a call from one of its checkpoints:
	// rows before Resume.Done are not decoded again (their Results stay
	// zero) and the RNG restarts from Resume.RNGState, so the remaining
	// rows come out as in one uninterrupted call with the same options.
	// Not with Noise.
	Resume *Checkpoint
	// AfterBatch, if not nil, is called on the calling goroutine after
	// every batch with the checkpoint reached and that batch's results
	// (rows c.Done−len(batch) … c.Done−1). An error stops the call.
	AfterBatch func(c Checkpoint, batch []Result) error
}

// Progress is how far a GenerateRows call has got.
type Progress struct {
	Done, Total int // rows finished, rows in the call
	Batch       int // rows in the running batch
	Step, Steps int // reverse steps done in the running batch, of Steps
}

// Rows is the number of rows done, counting the running batch by its
// share of steps done.
func (p Progress) Rows() float64 {
	if p.Steps == 0 {
		return float64(p.Done)
	}
	return float64(p.Done) + float64(p.Batch)*float64(p.Step)/float64(p.Steps)
}

// Frame is one snapshot of the denoising trajectory of one row.
type Frame struct {
	// T is the timestep of the trained process the state belongs to: K
	// for x_T (pure noise on the generated part), then the original index
	// of each visited step (0 after the last ancestral step).
	T int
	// Tokens are the read-out ids (argmax of x·Eᵀ + b) of the generated
	// part, positions len_x … L−1.
	Tokens []int
}

// Row is one decoding input as data.Join builds it: L ids (source ++
// [SEP] ++ target/padding) and the mask (0 on the source and separator,
// 1 on the part to generate).
type Row struct {
	InputIDs, Mask []int
}

// Result is the decoding of one row, with the reference's three strings
// (detokenised as decode_token does, reference 1.7 and 3.11).
type Result struct {
	Source    string // detok(input_ids[:len_x]): the reference's "source"
	Reference string // detok(input_ids[len_x:]): the reference's "reference" ("" for Generate)
	Text      string // detok(tokens[len_x:]): the reference's "recover"
	// Tokens are the generated ids, positions len_x … L−1 (with the
	// padding the model chose to generate).
	Tokens     []int
	Trajectory []Frame // with Options.TraceEvery > 0
}

// Rows tokenises sources and joins each with an empty placeholder target
// the way training rows are joined (data.Join, reference 1.3): the
// source keeps at most L−5 content tokens besides its start and end
// tokens; the rest of the row is the masked part to generate.
func (g *Generator) Rows(sources []string) []Row {
	l := g.SeqLen()
	empty := g.tok.Encode("")
	rows := make([]Row, len(sources))
	for i, s := range sources {
		r := Row{InputIDs: make([]int, l), Mask: make([]int, l)}
		data.Join(r.InputIDs, r.Mask, g.tok.Encode(s), empty, g.tok.SepID(), g.tok.PadID())
		rows[i] = r
	}
	return rows
}

// DatasetRows reads every row of a dataset (data.Load with SeqLen =
// g.SeqLen()), in file order: the reference's decoding input, whose
// target part is the reference answer.
func DatasetRows(ds *data.Dataset) ([]Row, error) {
	rows := make([]Row, ds.Len())
	for i := range rows {
		r := Row{InputIDs: make([]int, ds.SeqLen()), Mask: make([]int, ds.SeqLen())}
		if err := ds.Row(i, r.InputIDs, r.Mask); err != nil {
			return nil, err
		}
		rows[i] = r
	}
	return rows, nil
}

// Generate decodes one output per source string.
func (g *Generator) Generate(ctx context.Context, sources []string, opt Options) ([]Result, error) {
	res, err := g.GenerateRows(ctx, g.Rows(sources), opt)
	for i := range res {
		res[i].Reference = ""
	}
	return res, err
}

// GenerateRows decodes prepared rows (Rows, DatasetRows) in batches of
// opt.BatchSize, in order, from one RNG seeded with opt.Seed. It returns
// ctx.Err() if ctx is cancelled (checked before every reverse step).
func (g *Generator) GenerateRows(ctx context.Context, rows []Row, opt Options) ([]Result, error) {
	if opt.BatchSize == 0 {
		opt.BatchSize = DefaultBatchSize
	}
	if opt.BatchSize < 0 {
		return nil, fmt.Errorf("batch size %d < 0", opt.BatchSize)
	}
	if opt.TraceEvery < 0 {
		return nil, fmt.Errorf("trace every %d steps: must be ≥ 0", opt.TraceEvery)
	}
	if opt.ClampStep < 0 {
		return nil, fmt.Errorf("clamp step %d < 0", opt.ClampStep)
	}
	p, err := g.makePlan(opt)
	if err != nil {
		return nil, err
	}
	if err := checkResume(opt, len(rows)); err != nil {
		return nil, err
	}
	l := g.SeqLen()
	v := g.tok.VocabSize()
	for i, r := range rows {
		if len(r.InputIDs) != l || len(r.Mask) != l {
			return nil, fmt.Errorf("row %d: %d ids and %d mask entries, want L = %d", i, len(r.InputIDs), len(r.Mask), l)
		}
		for j, id := range r.InputIDs {
			if id < 0 || id >= v {
				return nil, fmt.Errorf("row %d position %d: token id %d outside the vocabulary [0, %d)", i, j, id, v)
			}
			if m := r.Mask[j]; (m != 0 && m != 1) || (j > 0 && m < r.Mask[j-1]) {
				return nil, fmt.Errorf("row %d position %d: the mask must be 0s (source) then 1s (part to generate)", i, j)
			}
		}
	}
	tp := g.tapes.Get().(*autograd.Tape)
	defer g.tapes.Put(tp)
	model := netDenoiser{m: g.model, tp: tp}
	own := tensor.NewRNG(opt.Seed)
	var rng diffuseq.Normal = own
	if opt.Noise != nil {
		rng = opt.Noise
	}
	first := 0
	if opt.Resume != nil {
		first = opt.Resume.Done
		own.SetState(opt.Resume.RNGState)
	}
	results := make([]Result, len(rows))
	for lo := first; lo < len(rows); lo += opt.BatchSize {
		hi := min(lo+opt.BatchSize, len(rows))
		bt := batch{b: hi - lo, l: l}
		for _, r := range rows[lo:hi] {
			bt.ids = append(bt.ids, r.InputIDs...)
			bt.mask = append(bt.mask, r.Mask...)
		}
		var frame func(t int, tokens []int)
		if opt.TraceEvery > 0 {
			frame = func(t int, tokens []int) {
				for i := lo; i < hi; i++ {
					lenX := sourceLen(rows[i].Mask)
					f := Frame{T: t, Tokens: append([]int(nil), tokens[(i-lo)*l+lenX:(i-lo+1)*l]...)}
					results[i].Trajectory = append(results[i].Trajectory, f)
					if opt.Trace != nil {
						opt.Trace(i, f)
					}
				}
			}
		}
		var step func(n int)
		if opt.Progress != nil {
			step = func(n int) {
				opt.Progress(Progress{Done: lo, Total: len(rows), Batch: hi - lo, Step: n, Steps: p.stepCount()})
			}
		}
		tokens, err := g.decodeBatch(ctx, model, p, bt, opt, rng, frame, step)
		if err != nil {
			return nil, err
		}
		for i := lo; i < hi; i++ {
			r := &results[i]
			ids, row := rows[i].InputIDs, tokens[(i-lo)*l:(i-lo+1)*l]
			lenX := sourceLen(rows[i].Mask)
			r.Tokens = append([]int(nil), row[lenX:]...)
			r.Text = g.tok.Decode(r.Tokens)
			r.Source = g.tok.Decode(ids[:lenX])
			r.Reference = g.tok.Decode(ids[lenX:])
		}
		if opt.AfterBatch != nil {
			// With Options.Noise the state is meaningless; Resume refuses it.
			if err := opt.AfterBatch(Checkpoint{Done: hi, RNGState: own.State()}, results[lo:hi]); err != nil {
				return nil, err
			}
		}
	}
	return results, nil
}

// sourceLen is the reference's len_x = L − Σ mask: the length of the
// source and its separator (the mask is 0 there and 1 after).
func sourceLen(mask []int) int {
	n := len(mask)
	for _, m := range mask {
		n -= m
	}
	return n
}
