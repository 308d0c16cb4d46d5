package ops

import (
	"slices"
	"testing"
	"time"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// The op-layer overhead benchmark: one encoder layer's forward+backward
// through the tape (encoderLayer.forward + Tape.BackwardFrom) against the
// very same kernel calls made by hand on preallocated buffers (directLayer
// below, llm.c style). The difference is what the tape, the Vars, the
// arena and the closures cost.

// directLayer holds every activation and gradient buffer of one layer.
type directLayer struct {
	l                               *encoderLayer
	B, T, C, FF, H                  int
	dropP                           float32
	q, k, v, p, pd, ctx             []float32
	o, od, s1, a, mean1             []float32
	rstd1, f1, f, o2, o2d           []float32
	keepA, keep1, keep2             *keepMask
	s2, out, mean2, rstd2           []float32
	gq, gk, gv, gctx, gO, gOd, gS1  []float32
	gA, gF1, gF, gO2, gO2d, gS2, gH []float32
	s                               *attnShape
}

func newDirectLayer(l *encoderLayer, B, T, C, FF, H int, dropP float32) *directLayer {
	rows, probs := B*T, B*H*T*T
	n := func(k int) []float32 { return make([]float32, k) }
	d := &directLayer{l: l, B: B, T: T, C: C, FF: FF, H: H, dropP: dropP}
	d.q, d.k, d.v, d.ctx, d.o, d.od, d.s1, d.a = n(rows*C), n(rows*C), n(rows*C), n(rows*C), n(rows*C), n(rows*C), n(rows*C), n(rows*C)
	d.keepA, d.keep1, d.keep2 = newKeepMask(probs), newKeepMask(rows*C), newKeepMask(rows*C)
	d.p, d.pd = n(probs), n(probs)
	d.mean1, d.rstd1, d.mean2, d.rstd2 = n(rows), n(rows), n(rows), n(rows)
	d.f1, d.f, d.gF1, d.gF = n(rows*FF), n(rows*FF), n(rows*FF), n(rows*FF)
	d.o2, d.o2d, d.s2, d.out = n(rows*C), n(rows*C), n(rows*C), n(rows*C)
	d.gq, d.gk, d.gv, d.gctx, d.gO, d.gOd, d.gS1 = n(rows*C), n(rows*C), n(rows*C), n(rows*C), n(rows*C), n(rows*C), n(rows*C)
	d.gA, d.gO2, d.gO2d, d.gS2, d.gH = n(rows*C), n(rows*C), n(rows*C), n(rows*C), n(rows*C)
	o := AttentionOpts{Heads: H}
	d.s = newAttnShape([]int{B, T, C}, []int{B, T, C}, []int{B, T, C}, &o)
	return d
}

// step runs forward and backward for input h and upstream gradient gOut,
// accumulating into the parameters' Grad, with the same calls, in the same
// order, as the tape version (including its zeroed gradient buffers).
func (d *directLayer) step(h, gOut []float32, rng *tensor.RNG) {
	l, rows, C, FF := d.l, d.B*d.T, d.C, d.FF
	sh := []int{rows, C}
	lin := func(y, x []float32, w, b *autograd.Var, in, out int) {
		linearFwd(k32, y, x, w.Data(), b.Data(), rows, in, out)
	}
	// forward
	lin(d.q, h, l.wq, l.bq, C, C)
	lin(d.k, h, l.wk, l.bk, C, C)
	lin(d.v, h, l.wv, l.bv, C, C)
	dropMask(d.keepA, d.dropP, rng)
	attentionFwd(k32, d.s, d.ctx, d.q, d.k, d.v, d.p, d.pd, d.keepA)
	lin(d.o, d.ctx, l.wo, l.bo, C, C)
	dropMask(d.keep1, d.dropP, rng)
	applyMask(d.od, d.o, d.keep1, false)
	binaryFwd(d.s1, d.od, h, sh, sh, sh, opAdd)
	k32.layerNorm(d.a, d.s1, l.g1.Data(), l.be1.Data(), d.mean1, d.rstd1, rows, C, LayerNormEps)
	lin(d.f1, d.a, l.w1, l.b1, C, FF)
	k32.gelu(d.f, d.f1)
	lin(d.o2, d.f, l.w2, l.b2, FF, C)
	dropMask(d.keep2, d.dropP, rng)
	applyMask(d.o2d, d.o2, d.keep2, false)
	binaryFwd(d.s2, d.o2d, d.a, sh, sh, sh, opAdd)
	k32.layerNorm(d.out, d.s2, l.g2.Data(), l.be2.Data(), d.mean2, d.rstd2, rows, C, LayerNormEps)
	// backward, into zeroed activation gradients
	for _, g := range [][]float32{d.gS2, d.gO2d, d.gA, d.gO2, d.gF, d.gF1, d.gS1, d.gOd, d.gO, d.gctx, d.gq, d.gk, d.gv, d.gH} {
		clear(g)
	}
	g := func(v *autograd.Var) []float32 { return v.Grad.Data() }
	k32.layerNormBwd(d.gS2, g(l.g2), g(l.be2), gOut, d.s2, l.g2.Data(), d.mean2, d.rstd2, rows, C)
	sumToShape(d.gO2d, sh, d.gS2, sh, 1)
	sumToShape(d.gA, sh, d.gS2, sh, 1)
	applyMask(d.gO2, d.gO2d, d.keep2, true)
	linearBwd(k32, d.gF, g(l.w2), g(l.b2), d.gO2, d.f, l.w2.Data(), rows, FF, C, false)
	k32.geluBwd(d.gF1, d.f1, d.gF)
	linearBwd(k32, d.gA, g(l.w1), g(l.b1), d.gF1, d.a, l.w1.Data(), rows, C, FF, false)
	k32.layerNormBwd(d.gS1, g(l.g1), g(l.be1), d.gA, d.s1, l.g1.Data(), d.mean1, d.rstd1, rows, C)
	sumToShape(d.gOd, sh, d.gS1, sh, 1)
	sumToShape(d.gH, sh, d.gS1, sh, 1)
	applyMask(d.gO, d.gOd, d.keep1, true)
	linearBwd(k32, d.gctx, g(l.wo), g(l.bo), d.gO, d.ctx, l.wo.Data(), rows, C, C, false)
	attentionBwd(k32, d.s, d.gq, d.gk, d.gv, d.gctx, d.q, d.k, d.v, d.p, d.pd, d.keepA) // pd doubles as scratch, as on the tape
	linearBwd(k32, d.gH, g(l.wv), g(l.bv), d.gv, h, l.wv.Data(), rows, C, C, false)
	linearBwd(k32, d.gH, g(l.wk), g(l.bk), d.gk, h, l.wk.Data(), rows, C, C, false)
	linearBwd(k32, d.gH, g(l.wq), g(l.bq), d.gq, h, l.wq.Data(), rows, C, C, false)
}

// tapeStep is the same layer through the tape; h is a parameter so that
// its gradient is computed too, as in the direct version.
func tapeStep(tp *autograd.Tape, l *encoderLayer, h *autograd.Var, gOut *tensor.Tensor, H int, dropP float32, rng *tensor.RNG) *autograd.Var {
	tp.Reset()
	out := l.forward(tp, h, encoderCfg{heads: H, dropP: dropP, rng: rng, eps: LayerNormEps})
	tp.BackwardFrom(out, gOut)
	return out
}

// The benchmark is only meaningful if both paths compute the same thing:
// same output, same gradients, bit for bit.
func TestDirectLayerMatchesTape(t *testing.T) {
	const B, T, C, FF, H, dropP = 2, 5, 16, 24, 4, 0.1
	rng := tensor.NewRNG(8)
	l := newEncoderLayer(rng, "l", C, FF)
	h := autograd.NewParam("h", randTensor(rng, B, T, C))
	gOut := randTensor(rng, B, T, C)
	tp := autograd.NewTape()
	out := tapeStep(tp, l, h, gOut, H, dropP, tensor.NewRNG(3))
	var want [][]float32
	for _, p := range append(l.params(), h) {
		want = append(want, slices.Clone(p.Grad.Data()))
		p.ZeroGrad()
	}
	d := newDirectLayer(l, B, T, C, FF, H, dropP)
	d.step(h.Data(), gOut.Data(), tensor.NewRNG(3))
	if !slices.Equal(d.out, out.Data()) {
		t.Fatal("direct forward differs from the tape's")
	}
	for i, p := range l.params() {
		if !slices.Equal(p.Grad.Data(), want[i]) {
			t.Fatalf("gradient of %s differs", p.Name)
		}
	}
	if !slices.Equal(d.gH, want[len(want)-1]) {
		t.Fatal("input gradient differs")
	}
}

// BenchmarkEncoderLayerOverhead times one post-LN encoder layer's
// forward+backward at DiffuSeq's small shape (B 64, T 64, C 256, 4 heads,
// FF 1024, dropout 0.1), alternating the tape and the direct calls inside
// each iteration so both see the same machine load, and reports the
// fastest time of each and the tape's overhead in percent.
func BenchmarkEncoderLayerOverhead(b *testing.B) {
	const B, T, C, FF, H, dropP = 64, 64, 256, 1024, 4, 0.1
	rng := tensor.NewRNG(1)
	l := newEncoderLayer(rng, "l", C, FF)
	h := autograd.NewParam("h", randTensor(rng, B, T, C))
	gOut := randTensor(rng, B, T, C)
	tp := autograd.NewTape()
	d := newDirectLayer(l, B, T, C, FF, H, dropP)
	dropRNG := tensor.NewRNG(2)
	params := append(l.params(), h)
	// warm up both (arena, GEMM workspaces)
	tapeStep(tp, l, h, gOut, H, dropP, dropRNG)
	d.step(h.Data(), gOut.Data(), dropRNG)
	// Each iteration times one tape step and one direct step, in
	// alternating order. Reported: the ratio of the fastest wall times
	// (overhead-%), of the median wall times, and of the process CPU time
	// summed over all runs (cpu-overhead-%, the steadiest when other jobs
	// share the cores).
	var tapeNs, directNs []float64
	var tapeCPU, directCPU time.Duration // process CPU time, all threads
	timeStep := func(f func(), cpu *time.Duration) float64 {
		params.ZeroGrad()
		c0, t0 := processCPU(), time.Now()
		f()
		wall := time.Since(t0)
		*cpu += processCPU() - c0
		return float64(wall.Nanoseconds())
	}
	tape := func() { tapeStep(tp, l, h, gOut, H, dropP, dropRNG) }
	direct := func() { d.step(h.Data(), gOut.Data(), dropRNG) }
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			tapeNs = append(tapeNs, timeStep(tape, &tapeCPU))
			directNs = append(directNs, timeStep(direct, &directCPU))
		} else {
			directNs = append(directNs, timeStep(direct, &directCPU))
			tapeNs = append(tapeNs, timeStep(tape, &tapeCPU))
		}
	}
	b.StopTimer()
	b.ReportMetric((slices.Min(tapeNs)/slices.Min(directNs)-1)*100, "overhead-%")
	b.ReportMetric((median(tapeNs)/median(directNs)-1)*100, "median-overhead-%")
	if directCPU > 0 {
		b.ReportMetric((float64(tapeCPU)/float64(directCPU)-1)*100, "cpu-overhead-%")
	}
	b.ReportMetric(slices.Min(tapeNs)/1e6, "tape-min-ms")
	b.ReportMetric(slices.Min(directNs)/1e6, "direct-min-ms")
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// BenchmarkPerOpBookkeeping isolates the tape's fixed cost per op: a
// 16-element Tanh forward+backward through the tape against the same two
// kernel calls on plain slices. The difference per op is what a graph of
// n ops pays n times, whatever the tensor sizes.
func BenchmarkPerOpBookkeeping(b *testing.B) {
	const n = 16
	x := autograd.NewParam("x", tensor.Full(0.5, n))
	seed := tensor.Full(1, n)
	tp := autograd.NewTape()
	b.Run("tape", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			tp.Reset()
			tp.BackwardFrom(Tanh(tp, x), seed)
		}
	})
	y, gx := make([]float32, n), make([]float32, n)
	b.Run("direct", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			k32.tanh(y, x.Data())
			clear(gx)
			tanhBwd(gx, y, seed.Data())
		}
	})
}
