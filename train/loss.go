// Package train runs DiffuSeq's optimisation: the training loss of
// reference 3.5 on the autograd tape, the optimisation step of 4.2
// (microbatches, loss-aware timesteps, AdamW, EMA) and the loop of 4.3
// with checkpoints that resume exactly.
package train

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/ops"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// Batch is one (micro)batch of joined source+target sequences.
type Batch struct {
	B, L     int
	InputIDs []int // (B, L) token ids
	Mask     []int // (B, L) input_mask: 0 on the source (kept clean), 1 on the target
}

// Noise is every random draw of one loss evaluation, injectable so a test
// can feed the official run's draws back in.
type Noise struct {
	T       []int          // (B) sampled steps
	X0Noise *tensor.Tensor // (B, L, d) ε_0 of z_0 = e + √(1−ᾱ_0)·ε_0
	Noise   *tensor.Tensor // (B, L, d) ε of q_sample
}

// DrawNoise draws the Gaussian noise of one loss evaluation from rng for
// the given steps.
func DrawNoise(rng *tensor.RNG, t []int, b, l, d int) Noise {
	n := Noise{T: t, X0Noise: tensor.New(b, l, d), Noise: tensor.New(b, l, d)}
	rng.FillNormalParallel(n.X0Noise.Data(), 0, 1) // FillNormal's draws, on the worker pool
	rng.FillNormalParallel(n.Noise.Data(), 0, 1)
	return n
}

// Losses holds the per-example terms of one forward (each (B)). Loss is on
// the tape; the others are copies for logging.
type Losses struct {
	Loss       *autograd.Var // (B) mse + decoder_nll + tT_loss
	MSE        []float32
	DecoderNLL []float32
	TTLoss     []float32
	NLL        []float32 // monitor only, not in the loss
}

// LossOptions switch the parts of LossFn that are not part of the math.
type LossOptions struct {
	Train   bool // dropout on (the reference never switches it off in training)
	SkipNLL bool // skip the monitor-only nll (one more V-wide head and CE); Losses.NLL stays nil
}

// LossFn builds training_losses_seq2seq (reference 3.5) on the tape:
//
//	e    = E[w]                       z_0 = e + s_0·ε_0   (all positions)
//	x_t  = where(m = 0, z_0, √ᾱ_t·z_0 + √(1−ᾱ_t)·ε)
//	f    = f_θ(x_t, τ(t))
//	mse  = mean (z_0 − f)²,  or mean (e − f)² where t = 0
//	tT   = mean (√ᾱ_{K−1}·z_0)²
//	dnll = mean_j CE(z_0·Eᵀ + b, w_j)  over all L positions
//	loss = mse + dnll + tT
//
// No stop-gradient anywhere: E gets gradients through e, z_0, the model
// input and the lm_head.
func LossFn(tp *autograd.Tape, m *model.TransformerNetModel, d *diffuseq.Diffusion, bt Batch, nz Noise, opt LossOptions) Losses {
	b, l, dim := bt.B, bt.L, m.Config.HiddenDim
	if len(bt.InputIDs) != b*l || len(bt.Mask) != b*l || len(nz.T) != b {
		panic(fmt.Sprintf("train.LossFn: batch %dx%d with %d ids, %d mask, %d steps", b, l, len(bt.InputIDs), len(bt.Mask), len(nz.T)))
	}
	e := m.Embed(tp, bt.InputIDs, b, l) // (B, L, d)

	// z_0 = e + s_0·ε_0, the product rounded to float32 first as the reference does.
	s0 := float32(d.SqrtOneMinusAlphasCumprod[0])
	eps0 := tp.Empty(b, l, dim)
	scaled(eps0.Data(), nz.X0Noise.Contiguous().Data(), s0)
	z0 := ops.Add(tp, e, tp.Const(eps0))

	// q_sample with partial noising: per-example √ᾱ_t and √(1−ᾱ_t)·ε.
	coefA := tp.Empty(b, 1, 1)
	epsT := tp.Empty(b, l, dim)
	en := nz.Noise.Contiguous().Data()
	keepSrc := tp.Empty(b, l, 1)
	tIsZero := tp.Empty(b)
	for i, t := range nz.T {
		coefA.Data()[i] = float32(d.SqrtAlphasCumprod[t])
		sb := float32(d.SqrtOneMinusAlphasCumprod[t])
		scaled(epsT.Data()[i*l*dim:(i+1)*l*dim], en[i*l*dim:(i+1)*l*dim], sb)
		tIsZero.Data()[i] = boolf(t == 0)
	}
	for j, mk := range bt.Mask {
		keepSrc.Data()[j] = boolf(mk == 0)
	}
	xt := ops.Add(tp, ops.Mul(tp, tp.Const(coefA), z0), tp.Const(epsT))
	xt = ops.Where(tp, keepSrc, z0, xt)

	f := m.Forward(tp, xt, d.ModelTimesteps(nz.T), opt.Train) // (B, L, d)

	mse := ops.Where(tp, tIsZero, ops.MSE(tp, f, e), ops.MSE(tp, f, z0)) // (B)
	zeros := tp.Zeros(b, l, dim)
	tT := ops.MSE(tp, ops.Scale(tp, z0, float32(d.SqrtAlphasCumprod[d.NumTimesteps-1])), tp.Const(zeros))
	dnll := ops.Mean(tp, ops.CrossEntropy(tp, m.Logits(tp, z0), bt.InputIDs, nil, ops.ReduceNone), 1)
	loss := ops.Add(tp, ops.Add(tp, mse, dnll), tT)

	out := Losses{Loss: loss, MSE: clone(mse), DecoderNLL: clone(dnll), TTLoss: clone(tT)}
	if !opt.SkipNLL {
		prev := tp.SetGrad(false) // the nll is a monitor: nothing flows back from it
		out.NLL = maskedNLL(tp, m, f, bt)
		tp.SetGrad(prev)
	}
	return out
}

// maskedNLL is Σ_j m_j CE(f_j·Eᵀ + b, w_j) / Σ_j m_j per example. Only
// the target rows (m_j = 1) go through the V-wide head: the source rows'
// cross-entropies would be multiplied by 0, and in a typical batch they
// are half of the positions.
func maskedNLL(tp *autograd.Tape, m *model.TransformerNetModel, f *autograd.Var, bt Batch) []float32 {
	dim := f.Value.Dim(-1)
	fv := f.Value.Contiguous().Data()
	var rows []int // positions with m_j = 1, in order
	for j, mk := range bt.Mask {
		if mk != 0 {
			rows = append(rows, j)
		}
	}
	out := make([]float32, bt.B)
	if len(rows) == 0 {
		return out
	}
	sub := tp.Empty(len(rows), dim)
	ids := make([]int, len(rows))
	for k, j := range rows {
		copy(sub.Data()[k*dim:(k+1)*dim], fv[j*dim:(j+1)*dim])
		ids[k] = bt.InputIDs[j]
	}
	ce := ops.CrossEntropy(tp, m.Logits(tp, tp.Const(sub)), ids, nil, ops.ReduceNone).Data() // (len(rows))
	sums := make([]float32, bt.B)
	counts := make([]float32, bt.B)
	for k, j := range rows {
		i := j / bt.L
		sums[i] += ce[k]
		counts[i]++
	}
	for i := range out {
		if counts[i] > 0 {
			out[i] = sums[i] / counts[i]
		}
	}
	return out
}

// Objective is mean_b(w_b·loss_b), the scalar a microbatch back-propagates
// (reference 3.6: importance weights keep the estimate unbiased).
func Objective(tp *autograd.Tape, loss *autograd.Var, weights []float32) *autograd.Var {
	w := tp.Empty(len(weights))
	copy(w.Data(), weights)
	return ops.Mean(tp, ops.Mul(tp, loss, tp.Const(w)), 0)
}

func scaled(dst, src []float32, s float32) {
	for i, v := range src {
		dst[i] = s * v
	}
}

func boolf(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

func clone(v *autograd.Var) []float32 { return append([]float32(nil), v.Data()...) }
