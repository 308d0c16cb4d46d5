package ops

import (
	"math"
	"runtime"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// A BERT post-LN encoder layer built from the ops, as the model package
// will build it:
//
//	ctx = Attention(h·Wqᵀ+bq, h·Wkᵀ+bk, h·Wvᵀ+bv)
//	a   = LayerNorm(Dropout(ctx·Woᵀ+bo) + h)
//	f   = GELU(a·W1ᵀ+b1)
//	out = LayerNorm(Dropout(f·W2ᵀ+b2) + a)
type encoderLayer struct {
	wq, bq, wk, bk, wv, bv, wo, bo, g1, be1, w1, b1, w2, b2, g2, be2 *autograd.Var
}

func newEncoderLayer(rng *tensor.RNG, name string, C, FF int) *encoderLayer {
	w := func(n string, shape ...int) *autograd.Var {
		t := tensor.New(shape...)
		rng.FillNormal(t.Data(), 0, float32(1/math.Sqrt(float64(shape[len(shape)-1]))))
		return autograd.NewParam(name+n, t)
	}
	b := func(n string, c int) *autograd.Var { return w(n, c) } // random, so the check sees non-trivial biases
	g := func(n string, c int) *autograd.Var {
		t := tensor.New(c)
		rng.FillNormal(t.Data(), 1, 0.2)
		return autograd.NewParam(name+n, t)
	}
	return &encoderLayer{
		wq: w(".q.weight", C, C), bq: b(".q.bias", C), wk: w(".k.weight", C, C), bk: b(".k.bias", C),
		wv: w(".v.weight", C, C), bv: b(".v.bias", C), wo: w(".o.weight", C, C), bo: b(".o.bias", C),
		g1: g(".ln1.weight", C), be1: b(".ln1.bias", C),
		w1: w(".ff1.weight", FF, C), b1: b(".ff1.bias", FF), w2: w(".ff2.weight", C, FF), b2: b(".ff2.bias", C),
		g2: g(".ln2.weight", C), be2: b(".ln2.bias", C),
	}
}

func (l *encoderLayer) params() autograd.Params {
	return autograd.Params{l.wq, l.bq, l.wk, l.bk, l.wv, l.bv, l.wo, l.bo, l.g1, l.be1, l.w1, l.b1, l.w2, l.b2, l.g2, l.be2}
}

// encoderCfg is what a forward pass needs besides the weights.
type encoderCfg struct {
	heads int
	mask  *tensor.Tensor
	dropP float32
	rng   *tensor.RNG // dropout stream; nil with dropP 0
	eps   float32
}

func (l *encoderLayer) forward(tp *autograd.Tape, h *autograd.Var, c encoderCfg) *autograd.Var {
	drop := Drop{P: c.dropP, RNG: c.rng, Train: c.dropP > 0}
	q, k, v := Linear(tp, h, l.wq, l.bq), Linear(tp, h, l.wk, l.bk), Linear(tp, h, l.wv, l.bv)
	ctx := Attention(tp, q, k, v, AttentionOpts{Heads: c.heads, Mask: c.mask, Dropout: drop})
	a := LayerNorm(tp, Add(tp, Dropout(tp, Linear(tp, ctx, l.wo, l.bo), drop), h), l.g1, l.be1, c.eps)
	f := GELU(tp, Linear(tp, a, l.w1, l.b1))
	return LayerNorm(tp, Add(tp, Dropout(tp, Linear(tp, f, l.w2, l.b2), drop), a), l.g2, l.be2, c.eps)
}

// forward64 is the same layer in float64 through the generic op math,
// reading the weights from w (float64 copies of the params, in params()
// order). It draws the dropout masks in the same order as forward.
func forward64(w [][]float64, h []float64, B, T, C, FF int, c encoderCfg) []float64 {
	wq, bq, wk, bk, wv, bv, wo, bo, g1, be1, w1, b1, w2, b2, g2, be2 := w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13], w[14], w[15]
	rows := B * T
	lin := func(x, w, b []float64, in, out int) []float64 {
		y := make([]float64, rows*out)
		linearFwd(k64, y, x, w, b, rows, in, out)
		return y
	}
	mask := func(n int) *keepMask {
		if c.dropP == 0 {
			return nil
		}
		keep := newKeepMask(n)
		dropMask(keep, c.dropP, c.rng)
		return keep
	}
	dropout := func(x []float64) []float64 {
		if keep := mask(len(x)); keep != nil {
			applyMask(x, x, keep, false)
		}
		return x
	}
	addNorm := func(x, res, g, be []float64) []float64 {
		sum := make([]float64, len(x))
		binaryFwd(sum, x, res, []int{rows, C}, []int{rows, C}, []int{rows, C}, opAdd)
		y := make([]float64, len(x))
		k64.layerNorm(y, sum, g, be, make([]float64, rows), make([]float64, rows), rows, C, float64(c.eps))
		return y
	}
	q, k, v := lin(h, wq, bq, C, C), lin(h, wk, bk, C, C), lin(h, wv, bv, C, C)
	o := AttentionOpts{Heads: c.heads, Mask: c.mask}
	s := newAttnShape([]int{B, T, C}, []int{B, T, C}, []int{B, T, C}, &o)
	p := make([]float64, B*c.heads*T*T)
	pd, keep := p, mask(len(p))
	if keep != nil {
		pd = make([]float64, len(p))
	}
	ctx := make([]float64, rows*C)
	attentionFwd(k64, s, ctx, q, k, v, p, pd, keep)
	a := addNorm(dropout(lin(ctx, wo, bo, C, C)), h, g1, be1)
	f := lin(a, w1, b1, C, FF)
	k64.gelu(f, f)
	return addNorm(dropout(lin(f, w2, b2, FF, C)), a, g2, be2)
}

// TestEncoderBlockGradients checks the tape gradients of two stacked
// post-LN layers (attention with a padding mask and dropout) against
// float64 central differences of the float64 composition, for every
// parameter element and the input.
func TestEncoderBlockGradients(t *testing.T) {
	const B, T, C, FF, H, seed = 2, 3, 8, 12, 2, 99
	rng := tensor.NewRNG(5)
	layers := []*encoderLayer{newEncoderLayer(rng, "layer.0", C, FF), newEncoderLayer(rng, "layer.1", C, FF)}
	hIn := autograd.NewParam("h", randTensor(rng, B, T, C))
	mask := tensor.FromSlice([]float32{0, 0, 0, 0, 0, -1e4}, B, 1, 1, T) // batch 1's last key is padding
	r := randTensor(rng, B, T, C)                                        // L = Σ r·out
	cfg := func() encoderCfg {
		return encoderCfg{heads: H, mask: mask, dropP: 0.2, rng: tensor.NewRNG(seed), eps: LayerNormEps}
	}

	tp := autograd.NewTape()
	c := cfg()
	h := hIn
	for _, l := range layers {
		h = l.forward(tp, h, c)
	}
	tp.BackwardFrom(h, r)

	params := []*autograd.Var{hIn}
	for _, l := range layers {
		params = append(params, l.params()...)
	}
	w := make([][]float64, len(params))
	for i, p := range params {
		w[i] = to64(p.Data())
	}
	r64 := to64(r.Data())
	loss := func() float64 {
		c := cfg()
		h := w[0]
		for i := range layers {
			h = forward64(w[1+16*i:1+16*(i+1)], h, B, T, C, FF, c)
		}
		var s float64
		for i, v := range h {
			s += r64[i] * v
		}
		return s
	}
	const step = 1e-6
	for i, p := range params {
		num := make([]float64, len(w[i]))
		for j := range w[i] {
			v := w[i][j]
			w[i][j] = v + step
			lp := loss()
			w[i][j] = v - step
			lm := loss()
			w[i][j] = v
			num[j] = (lp - lm) / (2 * step)
		}
		if err := compare(to64(p.Grad.Data()), num, 2e-3, 2e-3); err != "" {
			t.Errorf("%s %v: tape gradient vs float64 finite differences: %s", p.Name, p.Shape(), err)
		}
	}
}

// TestTrainingHeapIsFlat runs 200 SGD steps of a two-layer block through
// one tape and checks that, after warm-up, the live heap does not grow:
// every step reuses the tape's buffers.
func TestTrainingHeapIsFlat(t *testing.T) {
	B, T, C, FF, H := 4, 16, 32, 64, 4
	if testing.Short() { // the race detector makes each step ~40× slower
		B, T, C, FF, H = 2, 8, 16, 32, 2
	}
	rng := tensor.NewRNG(11)
	layers := []*encoderLayer{newEncoderLayer(rng, "layer.0", C, FF), newEncoderLayer(rng, "layer.1", C, FF)}
	var params autograd.Params
	for _, l := range layers {
		params = append(params, l.params()...)
	}
	params.Check()
	x, target := randTensor(rng, B, T, C), randTensor(rng, B, T, C)
	dropRNG := tensor.NewRNG(1)
	tp := autograd.NewTape()
	step := func() float32 {
		tp.Reset()
		h := tp.Const(x)
		for _, l := range layers {
			h = l.forward(tp, h, encoderCfg{heads: H, dropP: 0.1, rng: dropRNG, eps: LayerNormEps})
		}
		loss := Mean(tp, MSE(tp, h, tp.Const(target)), 0)
		tp.Backward(loss)
		for _, p := range params { // plain SGD
			g := p.Grad.Data()
			for i, v := range p.Data() {
				p.Data()[i] = v - 0.05*g[i]
			}
		}
		params.ZeroGrad()
		return loss.Item()
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	first := step()
	for i := 1; i < 20; i++ {
		step()
	}
	h20 := heap()
	var last float32
	for i := 20; i < 200; i++ {
		last = step()
	}
	h200 := heap()
	runtime.KeepAlive(tp) // else the tape, arena and all, is dead at the last GC
	growth := int64(h200) - int64(h20)
	t.Logf("loss %.4f -> %.4f; live heap after step 20: %d B, after step 200: %d B (growth %d B)", first, last, h20, h200, growth)
	// A per-step leak of even one small buffer (or of the Vars and
	// records) would add 180× its size.
	if growth > 32<<10 {
		t.Fatalf("live heap grew by %d bytes over 180 steps", growth)
	}
	if !(last < first) {
		t.Fatalf("loss did not fall: %v -> %v", first, last)
	}
}
