package train

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func v2Diffusion(t *testing.T) *diffuseq.Diffusion {
	t.Helper()
	dc := diffuseq.DefaultConfig()
	dc.DiffusionSteps = 100
	d, err := diffuseq.New(dc)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func randT(seed uint64, shape ...int) *tensor.Tensor {
	x := tensor.New(shape...)
	tensor.NewRNG(seed).FillNormal(x.Data(), 0, 1)
	return x
}

// TestV2QSampleFormula: the v2 forward process against the float64
// formula m + √ᾱ_t(z_0 − m) + √(1−ᾱ_t)ε, the replaced positions equal m
// exactly and the source equals z_0 exactly.
func TestV2QSampleFormula(t *testing.T) {
	d := v2Diffusion(t)
	const b, l, dim = 2, 5, 4
	z0, eps := randT(1, b, l, dim), randT(2, b, l, dim)
	m := autograd.NewParam(MeanEmbedName, randT(3, dim))
	ts := []int{0, 77}
	mask := []int{0, 0, 1, 1, 1, 0, 1, 1, 1, 1}
	replace := []bool{true, false, true, false, false, false, false, true, false, false} // (0,0) is source: stays z_0
	tp := autograd.NewTape()
	xt := V2QSample(tp, tp.Const(z0), m, d, ts, mask, eps, replace).Data()
	for i := range b {
		for j := range l {
			for k := range dim {
				n := (i*l+j)*dim + k
				var want float64
				switch {
				case mask[i*l+j] == 0:
					want = float64(z0.Data()[n])
				case replace[i*l+j]:
					want = float64(m.Data()[k])
				default:
					mm := float64(m.Data()[k])
					want = mm + d.SqrtAlphasCumprod[ts[i]]*(float64(z0.Data()[n])-mm) + d.SqrtOneMinusAlphasCumprod[ts[i]]*float64(eps.Data()[n])
				}
				if mask[i*l+j] == 0 || replace[i*l+j] {
					if float64(xt[n]) != want {
						t.Fatalf("x_t[%d,%d,%d] = %v, want exactly %v", i, j, k, xt[n], want)
					}
				} else if math.Abs(float64(xt[n])-want) > 1e-6*math.Max(1, math.Abs(want)) {
					t.Fatalf("x_t[%d,%d,%d] = %v, want %v", i, j, k, xt[n], want)
				}
			}
		}
	}
}

func v2Model(t *testing.T) *model.TransformerNetModel {
	t.Helper()
	mc, err := model.Preset("tiny", 30)
	if err != nil {
		t.Fatal(err)
	}
	mc.HiddenSize, mc.Intermediate, mc.HiddenDim, mc.HiddenTDim, mc.SeqLen = 16, 32, 8, 8, 6
	m, err := model.New(mc, 5)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func v2Batch() Batch {
	return Batch{B: 2, L: 6, InputIDs: []int{3, 4, 1, 7, 8, 2, 5, 1, 10, 11, 12, 2}, Mask: []int{0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1}}
}

// TestLossFnV2ReducesToV1: without learned_mean_embed the v2 loss is the
// v1 loss; with m = 0, no discrete noise and no regulariser it equals it
// too (the drift vanishes).
func TestLossFnV2ReducesToV1(t *testing.T) {
	d, m, bt := v2Diffusion(t), v2Model(t), v2Batch()
	nz := V2Noise{Noise: DrawNoise(tensor.NewRNG(7), []int{0, 42}, bt.B, bt.L, 8)}
	tp := autograd.NewTape()
	v1 := clone(LossFn(tp, m, d, bt, nz.Noise, LossOptions{}).Loss)
	tp.Reset()
	off := clone(LossFnV2(tp, m, nil, d, bt, nz, DefaultV2Options(), LossOptions{}).Loss)
	tp.Reset()
	zero := autograd.NewParam(MeanEmbedName, tensor.New(8))
	on := clone(LossFnV2(tp, m, zero, d, bt, nz, V2Options{LearnedMeanEmbed: true}, LossOptions{}).Loss)
	for i := range v1 {
		if off[i] != v1[i] || math.Abs(float64(on[i]-v1[i])) > 1e-6*math.Abs(float64(v1[i])) {
			t.Errorf("example %d: v1 %v, v2 off %v, v2 with m = 0 %v", i, v1[i], off[i], on[i])
		}
	}
}

// TestLossFnV2Regulariser: reg_rate·‖m‖₂ is added to every example's loss
// and its gradient is reg_rate·m/‖m‖ (with unit importance weights the
// objective is the mean over examples, so the gradients differ by that).
func TestLossFnV2Regulariser(t *testing.T) {
	d, m, bt := v2Diffusion(t), v2Model(t), v2Batch()
	nz := V2Noise{Noise: DrawNoise(tensor.NewRNG(7), []int{3, 42}, bt.B, bt.L, 8)}
	me := NewMeanEmbed(8, tensor.NewRNG(9))
	var norm float64
	for _, v := range me.Data() {
		norm += float64(v) * float64(v)
	}
	norm = math.Sqrt(norm)
	tp := autograd.NewTape()
	run := func(reg float64) ([]float32, []float32) {
		me.ZeroGrad()
		autograd.Params(m.Params()).ZeroGrad()
		tp.Reset()
		ls := LossFnV2(tp, m, me, d, bt, nz, V2Options{LearnedMeanEmbed: true, RegRate: reg}, LossOptions{})
		loss := clone(ls.Loss)
		tp.Backward(Objective(tp, ls.Loss, []float32{1, 1}))
		return loss, append([]float32(nil), me.Grad.Data()...)
	}
	l0, g0 := run(0)
	l1, g1 := run(0.3)
	for i := range l0 {
		if got := float64(l1[i] - l0[i]); math.Abs(got-0.3*norm) > 1e-5 {
			t.Errorf("example %d: regulariser adds %v, want 0.3·‖m‖ = %v", i, got, 0.3*norm)
		}
	}
	for k := range g0 {
		want := 0.3 * float64(me.Data()[k]) / norm
		if got := float64(g1[k] - g0[k]); math.Abs(got-want) > 1e-5 {
			t.Errorf("∂/∂m_%d of the regulariser = %v, want %v", k, got, want)
		}
	}
}

// TestLossFnV2Gradient: the tape gradient of the whole v2 objective with
// respect to mean_embed (through the drift, the replaced positions, the
// network and the regulariser) matches central differences.
func TestLossFnV2Gradient(t *testing.T) {
	d, m, bt := v2Diffusion(t), v2Model(t), v2Batch()
	nz := V2Noise{Noise: DrawNoise(tensor.NewRNG(7), []int{60, 95}, bt.B, bt.L, 8),
		Replace: []bool{false, false, false, true, false, false, false, false, false, true, true, false}}
	me := NewMeanEmbed(8, tensor.NewRNG(9))
	o := V2Options{LearnedMeanEmbed: true, Denoise: true, DenoiseRate: 0.5, RegRate: 0.1}
	build := func(tp *autograd.Tape) *autograd.Var {
		ls := LossFnV2(tp, m, me, d, bt, nz, o, LossOptions{SkipNLL: true})
		return Objective(tp, ls.Loss, []float32{1, 0.5})
	}
	worst, where := autograd.GradCheck(autograd.NewTape(), build, autograd.Params{me}, 1e-2, 0, tensor.NewRNG(1))
	if worst > 2e-2 {
		t.Errorf("mean_embed gradient: worst relative error %.3g at %s", worst, where)
	}
	if me.Grad.Data()[0] == 0 {
		t.Error("mean_embed received no gradient")
	}
}

// TestDrawReplaceRate: the discrete noise fires with probability
// λ·√(1−ᾱ_t), per position.
func TestDrawReplaceRate(t *testing.T) {
	d := v2Diffusion(t)
	const b, l = 2, 20000
	r := drawReplace(tensor.NewRNG(3), d, []int{0, 99}, b, l, 0.5)
	for i, ti := range []int{0, 99} {
		n := 0
		for _, x := range r[i*l : (i+1)*l] {
			if x {
				n++
			}
		}
		p := 0.5 * d.SqrtOneMinusAlphasCumprod[ti]
		if got := float64(n) / l; math.Abs(got-p) > 4*math.Sqrt(p*(1-p)/l) {
			t.Errorf("t = %d: rate %.4f, want %.4f", ti, got, p)
		}
	}
}

func TestV2OptionsValidate(t *testing.T) {
	for _, o := range []V2Options{
		{Denoise: true, DenoiseRate: 0.5},
		{LearnedMeanEmbed: true, DenoiseRate: 1.5},
		{LearnedMeanEmbed: true, RegRate: -1},
		{RegRate: 0.01},
	} {
		if o.Validate() == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if err := PublishedV2Options().Validate(); err != nil {
		t.Error(err)
	}
}

// TestV2TrainerSteps: a few v2 updates on the synthetic corpus move
// mean_embed and its EMA, keep the loss finite, and the sidecar file
// round-trips.
func TestV2TrainerSteps(t *testing.T) {
	cfg, tok := tinyRun(t)
	cfg.EMARate = "0.9"
	v, err := NewV2(cfg, PublishedV2Options(), tok)
	if err != nil {
		t.Fatal(err)
	}
	start := append([]float32(nil), v.MeanEmbed.Data()...)
	for range 3 {
		res, err := v.Step()
		if err != nil {
			t.Fatal(err)
		}
		if math.IsNaN(res.GradNorm) || res.GradNorm == 0 {
			t.Fatalf("grad norm %v", res.GradNorm)
		}
	}
	live, _ := v.MeanEmbedValues("")
	ema, err := v.MeanEmbedValues("0.9")
	if err != nil {
		t.Fatal(err)
	}
	if live[0] == start[0] || ema[0] == live[0] || ema[0] == start[0] {
		t.Errorf("mean_embed[0]: start %v, live %v, ema %v", start[0], live[0], ema[0])
	}
	path := filepath.Join(t.TempDir(), "mean_embed.safetensors")
	if err := v.SaveMeanEmbed(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadMeanEmbed(path, "ema_0.9."+MeanEmbedName)
	if err != nil || back[3] != ema[3] {
		t.Errorf("sidecar EMA %v (%v), want %v", back, err, ema)
	}
	// The model owns mean_embed, so global clipping spans it too.
	cfg.GradientClipping = 1
	if _, err := NewV2(cfg, PublishedV2Options(), tok); err != nil {
		t.Errorf("gradient clipping with learned_mean_embed refused: %v", err)
	}
}
