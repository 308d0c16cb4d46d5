package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/diffuseq-go/diffuseq/asm"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// `diffuseq bench gemm` measures sgemm in GFLOP/s (2·m·k·n flops per
// call) on DiffuSeq's shapes: rows are batch·sequence tokens (4096 =
// 64×64 for the small config, 8192 = 64×128 for base), k and n the hidden,
// FFN and vocabulary widths.

func init() {
	registerBench(benchKind{name: "gemm", summary: "sgemm GFLOP/s per shape: ours, the generic path, gonum", run: runBenchGemm})
}

// gemmShape is op(A) m×k times op(B) k×n with the given transposes.
type gemmShape struct {
	m, k, n int
	trans   string // "NN", "NT", "TN" or "TT": op(A), op(B)
}

// defaultGemmShapes are DiffuSeq's products (NN) plus the transposed
// forms the backward pass uses on one of them.
var defaultGemmShapes = []gemmShape{
	{4096, 128, 512, "NN"}, {4096, 512, 512, "NN"}, {4096, 512, 2048, "NN"}, {4096, 2048, 512, "NN"},
	{8192, 768, 768, "NN"}, {8192, 768, 3072, "NN"}, {8192, 3072, 768, "NN"},
	{4096, 128, 8000, "NN"}, {64, 128, 8000, "NN"}, {1024, 1024, 1024, "NN"}, {17, 31, 23, "NN"},
	{4096, 2048, 512, "NT"}, {4096, 2048, 512, "TN"},
}

// gemmResult is one line of --json output.
type gemmResult struct {
	Op           string  `json:"op"`
	Trans        string  `json:"trans"`
	M            int     `json:"m"`
	K            int     `json:"k"`
	N            int     `json:"n"`
	Threads      int     `json:"threads"`
	Impl         string  `json:"impl"`
	GFLOPS       float64 `json:"gflops"`        // from the best time
	GFLOPSMedian float64 `json:"gflops_median"` // from the median time
	Kernel       string  `json:"kernel,omitempty"`
}

func runBenchGemm(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench gemm", stderr)
	shapesFlag := fs.String("shapes", "", "comma-separated MxKxN list (default: DiffuSeq's shapes)")
	transFlag := fs.String("trans", "", "NN, NT, TN or TT for every shape (default: NN, plus NT and TN of 4096x2048x512)")
	threads := fs.Int("threads", parallel.Threads(), "threads (sets DIFFUSEQ's pool and GOMAXPROCS, which gonum uses)")
	implFlag := fs.String("impl", "ours", "ours, generic, gonum or all (or a comma-separated list)")
	asJSON := fs.Bool("json", false, "one JSON object per line instead of a table")
	list := fs.Bool("list", false, "print the shapes (trans MxKxN per line) without timing anything")
	minTime := fs.Duration("min-time", 300*time.Millisecond, "time each measurement for at least this long")
	minReps := fs.Int("min-reps", 3, "and for at least this many timed calls (after one warm-up call)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *minReps < 1 {
		return fmt.Errorf("--min-reps: %d is not a positive count", *minReps)
	}
	if *threads < 1 {
		return fmt.Errorf("--threads: %d is not a positive count", *threads)
	}
	shapes, err := parseGemmShapes(*shapesFlag, *transFlag)
	if err != nil {
		return err
	}
	impls, err := parseGemmImpls(*implFlag)
	if err != nil {
		return err
	}
	if *list {
		for _, sh := range shapes {
			fmt.Fprintf(stdout, "%s %dx%dx%d\n", sh.trans, sh.m, sh.k, sh.n)
		}
		return nil
	}

	prevThreads := parallel.SetThreads(*threads)
	defer parallel.SetThreads(prevThreads)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(*threads, 1)))

	if !*asJSON {
		fmt.Fprintf(stdout, "sgemm, %d thread(s), GFLOP/s from the best of repeated calls (median in brackets); ours = %s (%s)\n",
			*threads, asm.Impl(), asm.SgemmKernel())
		fmt.Fprintf(stdout, "%-5s %-20s", "trans", "MxKxN")
		for _, im := range impls {
			fmt.Fprintf(stdout, " %18s", im)
		}
		fmt.Fprintln(stdout)
	}
	enc := json.NewEncoder(stdout)
	for _, sh := range shapes {
		if !*asJSON {
			fmt.Fprintf(stdout, "%-5s %-20s", sh.trans, fmt.Sprintf("%dx%dx%d", sh.m, sh.k, sh.n))
		}
		for _, im := range impls {
			r := benchGemmOne(sh, im, *threads, *minTime, *minReps)
			if *asJSON {
				if err := enc.Encode(r); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(stdout, " %8.1f (%7.1f)", r.GFLOPS, r.GFLOPSMedian)
		}
		if !*asJSON {
			fmt.Fprintln(stdout)
		}
	}
	return nil
}

// benchGemmOne times C = A·B (alpha 1, beta 0) for one shape and impl.
func benchGemmOne(sh gemmShape, impl string, threads int, minTime time.Duration, minReps int) gemmResult {
	transA, transB := sh.trans[0] == 'T', sh.trans[1] == 'T'
	rng := rand.New(rand.NewPCG(1, 2))
	a, b, c := make([]float32, sh.m*sh.k), make([]float32, sh.k*sh.n), make([]float32, sh.m*sh.n)
	for i := range a {
		a[i] = float32(rng.Float64() - 0.5)
	}
	for i := range b {
		b[i] = float32(rng.Float64() - 0.5)
	}
	lda, ldb := sh.k, sh.n // row strides as stored
	if transA {
		lda = sh.m
	}
	if transB {
		ldb = sh.k
	}
	r := gemmResult{Op: "sgemm", Trans: sh.trans, M: sh.m, K: sh.k, N: sh.n, Threads: threads, Impl: impl}
	var fn func()
	switch impl {
	case "ours", "generic":
		if impl == "generic" {
			defer asm.SetImpl(asm.Generic)()
		}
		r.Kernel = asm.SgemmKernel()
		fn = func() { asm.Sgemm(transA, transB, sh.m, sh.n, sh.k, 1, a, lda, b, ldb, 0, c, sh.n) }
	case "gonum":
		ta, tb := blas.NoTrans, blas.NoTrans
		if transA {
			ta = blas.Trans
		}
		if transB {
			tb = blas.Trans
		}
		var g gonum.Implementation
		fn = func() { g.Sgemm(ta, tb, sh.m, sh.n, sh.k, 1, a, lda, b, ldb, 0, c, sh.n) }
	}
	t := timeIt(fn, minTime, minReps)
	flops := 2 * float64(sh.m) * float64(sh.k) * float64(sh.n)
	r.GFLOPS = flops / t.best.Seconds() / 1e9
	r.GFLOPSMedian = flops / t.median.Seconds() / 1e9
	return r
}

// parseGemmShapes reads --shapes and --trans.
func parseGemmShapes(shapes, trans string) ([]gemmShape, error) {
	if trans != "" && trans != "NN" && trans != "NT" && trans != "TN" && trans != "TT" {
		return nil, fmt.Errorf("--trans: %q is not one of NN, NT, TN, TT", trans)
	}
	if shapes == "" {
		if trans == "" {
			return defaultGemmShapes, nil
		}
		var out []gemmShape
		for _, s := range defaultGemmShapes {
			if s.trans == "NN" {
				s.trans = trans
				out = append(out, s)
			}
		}
		return out, nil
	}
	if trans == "" {
		trans = "NN"
	}
	var out []gemmShape
	for i, item := range strings.Split(shapes, ",") {
		dims := strings.Split(strings.TrimSpace(item), "x")
		var v [3]int
		ok := len(dims) == 3
		for j := 0; ok && j < 3; j++ {
			n, err := strconv.Atoi(dims[j])
			ok = err == nil && n > 0
			v[j] = n
		}
		if !ok {
			return nil, fmt.Errorf("--shapes: item %d %q: want MxKxN with positive integers, e.g. 4096x512x512", i+1, item)
		}
		out = append(out, gemmShape{m: v[0], k: v[1], n: v[2], trans: trans})
	}
	return out, nil
}

// parseGemmImpls reads --impl.
func parseGemmImpls(s string) ([]string, error) {
	if s == "all" {
		return []string{"ours", "generic", "gonum"}, nil
	}
	var out []string
	for _, im := range strings.Split(s, ",") {
		switch im {
		case "ours", "generic", "gonum":
			out = append(out, im)
		default:
			return nil, fmt.Errorf("--impl: %q is not one of ours, generic, gonum, all", im)
		}
	}
	return out, nil
}
