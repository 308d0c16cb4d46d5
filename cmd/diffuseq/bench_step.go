package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/diffuseq-go/diffuseq/asm"
	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/tensor"
	"github.com/diffuseq-go/diffuseq/train"
)

func init() {
	registerBench(benchKind{name: "step", summary: "time one training or sampling step of a whole model (vs ../shared/bench/torchref)", run: runBenchStep})
}

// stepShape is one of torchref's configurations (../shared/bench/README.md):
// the same vocabulary, widths, depth, sequence length and batch.
type stepShape struct {
	V, E, H, L, A, S, B int
}

var stepShapes = map[string]stepShape{
	"tiny":  {V: 1000, E: 32, H: 128, L: 2, A: 2, S: 32, B: 32},
	"small": {V: 8000, E: 128, H: 256, L: 4, A: 4, S: 64, B: 64},
	"base":  {V: 30522, E: 128, H: 768, L: 12, A: 12, S: 128, B: 64},
}

// flops is torchref's analytic matmul count (2·M·K·N per product;
// element-wise work not counted), so GFLOP/s figures compare directly.
func (c stepShape) flops(mode string) float64 {
	n := float64(c.B * c.S)
	e, h, v, s := float64(c.E), float64(c.H), float64(c.V), float64(c.S)
	fwd := 2*n*(e*h+h*h) + 2*float64(c.B)*(e*4*e+4*e*h) + float64(c.L)*(2*n*12*h*h+2*2*n*s*h) + 2*n*(h*h+h*e)
	lm := 2 * n * e * v
	switch mode {
	case "train":
		return 3 * (fwd + lm)
	case "fwd":
		return fwd // the network alone, as torchref's fwd mode
	}
	return fwd + lm // sample: forward + the rounding distance product
}

type stepResult struct {
	Op        string  `json:"op"`
	Config    string  `json:"config"`
	Mode      string  `json:"mode"`
	Threads   int     `json:"threads"`
	Impl      string  `json:"impl"`
	MedianMS  float64 `json:"median_ms"`
	BestMS    float64 `json:"best_ms"`
	Reps      int     `json:"reps"`
	TokensPS  float64 `json:"tokens_per_s"`
	GFLOPS    float64 `json:"gflops"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// CPU time (user+system, all threads) per timed step: median and
	// least. With one thread it is the step's work, steady under load.
	CPUMedianMS float64 `json:"cpu_median_ms"`
	CPUBestMS   float64 `json:"cpu_best_ms"`
}

func runBenchStep(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench step", stderr)
	cfgName := fs.String("config", "small", "tiny, small or base (torchref's shapes)")
	mode := fs.String("mode", "train", "train (forward, loss, backward, AdamW), sample (forward + rounding + posterior sample) or fwd (the network's forward alone, no gradient)")
	threads := fs.Int("threads", 0, "worker threads (0: all cores)")
	minTime := fs.Duration("time", 5*time.Second, "keep timing steps until this much time is spent")
	minReps := fs.Int("reps", 5, "at least this many timed steps")
	asJSON := fs.Bool("json", false, "print one JSON object")
	cpuProfile := fs.String("cpuprofile", "", "write a pprof CPU profile of the timed steps to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	shape, ok := stepShapes[*cfgName]
	if !ok {
		return fmt.Errorf("--config %q: want tiny, small or base", *cfgName)
	}
	if *mode != "train" && *mode != "sample" && *mode != "fwd" {
		return fmt.Errorf("--mode %q: want train, sample or fwd", *mode)
	}
	if *threads > 0 {
		parallel.SetThreads(*threads)
	}
	mc := model.Config{VocabSize: shape.V, HiddenDim: shape.E, HiddenTDim: shape.E, HiddenSize: shape.H, Layers: shape.L,
		Heads: shape.A, Intermediate: 4 * shape.H, MaxPositions: 512, Dropout: 0.1, AttnDropout: 0.1, LayerNormEps: 1e-12, SeqLen: shape.S}
	m, err := model.New(mc, 0)
	if err != nil {
		return err
	}
	// torchref's batch: random ids, the second half of every row is target.
	rng := tensor.NewRNG(0)
	bt := train.Batch{B: shape.B, L: shape.S, InputIDs: make([]int, shape.B*shape.S), Mask: make([]int, shape.B*shape.S)}
	for i := range bt.InputIDs {
		bt.InputIDs[i] = rng.Intn(shape.V)
		if i%shape.S >= shape.S/2 {
			bt.Mask[i] = 1
		}
	}
	var step func()
	if *mode == "train" {
		tc := train.DefaultConfig()
		tc.ScheduleSampler, tc.Bsz, tc.Microbatch = "uniform", shape.B, shape.B
		tr, err := train.NewForModel(tc, m)
		if err != nil {
			return err
		}
		tr.SkipNLL = true // torchref's loss has no monitor nll
		step = func() {
			if _, err := tr.StepOn(bt); err != nil {
				panic(err)
			}
		}
	} else if *mode == "fwd" {
		step = forwardStep(m, bt)
	} else {
		step = sampleStep(m, bt)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var cpu []time.Duration
	timed := func() {
		c0 := processCPU()
		step()
		cpu = append(cpu, processCPU()-c0)
	}
	tm := timeIt(timed, *minTime, *minReps)
	cpu = cpu[1:] // timeIt's untimed warm-up call
	slices.Sort(cpu)
	res := stepResult{Op: "step", Config: *cfgName, Mode: *mode, Threads: parallel.Threads(), Impl: asm.Impl().String(),
		MedianMS: ms(tm.median), BestMS: ms(tm.best), Reps: tm.reps,
		TokensPS: float64(shape.B*shape.S) / tm.median.Seconds(), GFLOPS: shape.flops(*mode) / tm.median.Seconds() / 1e9,
		PeakRSSMB: peakRSSMB(), CPUMedianMS: ms(cpu[len(cpu)/2]), CPUBestMS: ms(cpu[0])}
	if *asJSON {
		b, _ := json.Marshal(res)
		fmt.Fprintln(stdout, string(b))
		return nil
	}
	fmt.Fprintf(stdout, "%s %s threads=%d kernels=%s: median %.1f ms (best %.1f, %d reps), %.0f tokens/s, %.1f GFLOP/s, peak RSS %.0f MB, CPU %.1f ms/step (best %.1f)\n",
		res.Config, res.Mode, res.Threads, res.Impl, res.MedianMS, res.BestMS, res.Reps, res.TokensPS, res.GFLOPS, res.PeakRSSMB, res.CPUMedianMS, res.CPUBestMS)
	return nil
}

// sampleStep is one reverse step at t = T/2 as torchref's p_sample_step:
// the network without dropout, rounding to the nearest embedding, the
// posterior sample, the source re-imposed.
func sampleStep(m *model.TransformerNetModel, bt train.Batch) func() {
	d, err := diffuseq.New(diffuseq.DefaultConfig())
	if err != nil {
		panic(err)
	}
	tp := autograd.NewTape()
	tp.SetGrad(false)
	denoiser := diffuseq.DenoiserFunc(func(x *tensor.Tensor, tau []float32) *tensor.Tensor {
		tp.Reset()
		return m.Forward(tp, tp.Const(x), tau, false).Value
	})
	r := diffuseq.NewRounder(m.WordEmbedding.Value)
	xStart := r.Embed(bt.InputIDs, bt.B, bt.L)
	noise := tensor.New(xStart.Shape()...)
	rng := tensor.NewRNG(1)
	rng.FillNormal(noise.Data(), 0, 1)
	x := diffuseq.DecodingStart(xStart, noise, bt.Mask)
	opt := &diffuseq.SampleOptions{DenoisedFn: r.DenoisedFnMasked(bt.Mask), ClampFirst: true, Mask: bt.Mask, XStart: xStart, Noise: rng}
	return func() { d.PSample(denoiser, x, d.NumTimesteps/2, opt.DenoisedFn, opt) }
}

// forwardStep is torchref's fwd mode: one network evaluation at t = T/2
// (no dropout, no gradient) on the same noisy start as sampleStep.
func forwardStep(m *model.TransformerNetModel, bt train.Batch) func() {
	d, err := diffuseq.New(diffuseq.DefaultConfig())
	if err != nil {
		panic(err)
	}
	tp := autograd.NewTape()
	tp.SetGrad(false)
	r := diffuseq.NewRounder(m.WordEmbedding.Value)
	xStart := r.Embed(bt.InputIDs, bt.B, bt.L)
	noise := tensor.New(xStart.Shape()...)
	tensor.NewRNG(1).FillNormal(noise.Data(), 0, 1)
	x := diffuseq.DecodingStart(xStart, noise, bt.Mask)
	tau := make([]float32, bt.B)
	for i := range tau {
		tau[i] = d.ModelTimestep(d.NumTimesteps / 2)
	}
	return func() {
		tp.Reset()
		m.Forward(tp, tp.Const(x), tau, false)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// peakRSSMB reads the process's high-water resident set (Linux); 0 elsewhere.
func peakRSSMB() float64 {
	if runtime.GOOS != "linux" {
		return 0
	}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseFloat(f[0], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
