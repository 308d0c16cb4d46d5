package diffuseq

import (
	"fmt"
	"math"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// LossTerms are the per-example terms of the reference's
// training_losses_seq2seq (3.5), each (B).
type LossTerms struct {
	MSE        []float32 // x_0 regression, with the t = 0 rule
	DecoderNLL []float32 // rounding CE of z_0 over ALL positions (in the loss)
	TTLoss     []float32 // mean((√ᾱ_{K−1}·z_0)²), the prior term (≈ 2e-7·mean z_0²)
	NLL        []float32 // CE of the prediction over mask = 1 positions (logged only)
	Loss       []float32 // MSE + DecoderNLL + TTLoss
}

// LossInputs are the tensors one training forward produces; building them
// needs the network, the losses themselves do not.
//
// The autograd version must compute exactly (w token ids, m mask, e = E[w],
// s_0 = √(1−ᾱ_0), ε_0, ε ~ N(0, I), t the sampled step, no stop-gradient
// anywhere, so E receives gradients through e, z_0, the logits' weight and
// the model input):
//
//	z_0  = e + s_0·ε_0                                   (XStartFromEmbeddings)
//	x_t  = QSample(z_0, t, ε, m)
//	f    = f_θ(x_t, τ(t))
//	mse  = mean_{j,k} (z_0 − f)²   if t > 0;   mean_{j,k} (e − f)²   if t = 0
//	tT   = mean_{j,k} (√ᾱ_{K−1}·z_0)²
//	dnll = mean_j CE(z_0,j·Eᵀ + b, w_j)                   over all L positions
//	loss = mse + dnll + tT                                (per example)
//	nll  = Σ_j m_j CE(f_j·Eᵀ + b, w_j) / Σ_j m_j           (monitor only)
//	objective = mean_b (importance weight_b · loss_b)     (3.6)
type LossInputs struct {
	XStartMean   *tensor.Tensor // (B, L, d) e = E[w]
	XStart       *tensor.Tensor // (B, L, d) z_0
	ModelOutput  *tensor.Tensor // (B, L, d) f
	LogitsXStart *tensor.Tensor // (B, L, V) z_0·Eᵀ + b
	LogitsModel  *tensor.Tensor // (B, L, V) f·Eᵀ + b
	InputIDs     []int          // (B, L) w
	Mask         []int          // (B, L) m
	T            []int          // (B) sampled steps
}

// TrainingLosses evaluates the per-example loss terms of 3.5 from a
// recorded forward. Sums are accumulated in float64 and cast to float32.
func (d *Diffusion) TrainingLosses(in LossInputs) LossTerms {
	b, _, _ := dims3("TrainingLosses", in.XStart)
	sameShape("TrainingLosses", in.XStart, in.ModelOutput)
	sameShape("TrainingLosses", in.XStart, in.XStartMean)
	checkBatch("TrainingLosses", in.T, b)
	var lt LossTerms
	lt.MSE = MeanSquaredError(in.XStart, in.ModelOutput)
	t0 := MeanSquaredError(in.XStartMean, in.ModelOutput)
	for i, t := range in.T {
		d.checkStep("TrainingLosses", t)
		if t == 0 {
			lt.MSE[i] = t0[i]
		}
	}
	lt.TTLoss = MeanSquare(d.QMean(in.XStart, d.NumTimesteps-1))
	lt.DecoderNLL = TokenNLL(in.LogitsXStart, in.InputIDs, nil)
	lt.NLL = TokenNLL(in.LogitsModel, in.InputIDs, in.Mask)
	lt.Loss = make([]float32, b)
	for i := range b {
		lt.Loss[i] = lt.MSE[i] + lt.DecoderNLL[i] + lt.TTLoss[i]
	}
	return lt
}

// MeanSquaredError is mean_flat((a − b)²): per example, the mean over all
// positions and dimensions. a, b: (B, …) → (B).
func MeanSquaredError(a, b *tensor.Tensor) []float32 {
	sameShape("MeanSquaredError", a, b)
	x, y := a.Contiguous().Data(), b.Contiguous().Data()
	n := a.Dim(0)
	per := len(x) / n
	out := make([]float32, n)
	for i := range n {
		var s float64
		for k := i * per; k < (i+1)*per; k++ {
			diff := float64(x[k] - y[k]) // float32 difference, as the reference
			s += diff * diff
		}
		out[i] = float32(s / float64(per))
	}
	return out
}

// MeanSquare is mean_flat(a²) per example. a: (B, …) → (B).
func MeanSquare(a *tensor.Tensor) []float32 {
	x := a.Contiguous().Data()
	n := a.Dim(0)
	per := len(x) / n
	out := make([]float32, n)
	for i := range n {
		var s float64
		for _, v := range x[i*per : (i+1)*per] {
			s += float64(v) * float64(v)
		}
		out[i] = float32(s / float64(per))
	}
	return out
}

// TokenNLL is the reference's _token_discrete_loss: the cross-entropy
//
//	CE_j = logsumexp_k(logits_j,k) − logits_j,w_j
//
// averaged per example over all L positions (mask nil) or over the
// positions with mask = 1 (Σ_j m_j CE_j / Σ_j m_j).
// logits: (B, L, V); ids, mask: (B, L) → (B).
func TokenNLL(logits *tensor.Tensor, ids, mask []int) []float32 {
	b, l, v := dims3("TokenNLL", logits)
	if len(ids) != b*l {
		panic(fmt.Sprintf("diffuseq.TokenNLL: %d ids for logits %v", len(ids), logits.Shape()))
	}
	checkMask("TokenNLL", mask, b, l)
	z := logits.Contiguous().Data()
	out := make([]float32, b)
	for i := range b {
		var s, cnt float64
		for j := range l {
			n := i*l + j
			w := 1.0
			if mask != nil {
				w = float64(mask[n])
			}
			if ids[n] < 0 || ids[n] >= v {
				panic(fmt.Sprintf("diffuseq.TokenNLL: token id %d outside the vocabulary [0, %d)", ids[n], v))
			}
			s += w * crossEntropy(z[n*v:(n+1)*v], ids[n])
			cnt += w
		}
		out[i] = float32(s / cnt)
	}
	return out
}

// crossEntropy is −log softmax(row)[target], stabilised by the row max.
func crossEntropy(row []float32, target int) float64 {
	m := math.Inf(-1)
	for _, v := range row {
		m = math.Max(m, float64(v))
	}
	var s float64
	for _, v := range row {
		s += math.Exp(float64(v) - m)
	}
	return m + math.Log(s) - float64(row[target])
}

// Objective is the minibatch value back-propagated by the reference (3.6):
// mean_b (importanceWeight_b · loss_b). losses, weights: (B).
func Objective(losses, weights []float32) float32 {
	if len(losses) != len(weights) || len(losses) == 0 {
		panic(fmt.Sprintf("diffuseq.Objective: %d losses and %d weights", len(losses), len(weights)))
	}
	var s float64
	for i, l := range losses {
		s += float64(weights[i]) * float64(l)
	}
	return float32(s / float64(len(losses)))
}
