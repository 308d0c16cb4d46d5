package main

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// `diffuseq bench KIND [flags]` measures one kind of work. Each kind lives
// in its own file (bench_gemm.go, ...) and calls registerBench in an init
// function, like the commands themselves.

// benchKind is one thing `diffuseq bench` can measure.
type benchKind struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var benchKinds = map[string]benchKind{}

func registerBench(k benchKind) {
	if _, dup := benchKinds[k.name]; dup {
		panic("diffuseq: duplicate bench kind " + k.name)
	}
	benchKinds[k.name] = k
}

func init() {
	register(command{name: "bench", summary: "measure kernels and whole steps (bench KIND -h for a kind's flags)", run: runBench})
}

func runBench(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		benchUsage(stderr)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	k, ok := benchKinds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "diffuseq bench: unknown kind %q\n\n", args[0])
		benchUsage(stderr)
		return errUsage
	}
	return k.run(args[1:], stdout, stderr)
}

func benchUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: diffuseq bench KIND [flags]\n\nkinds:")
	names := make([]string, 0, len(benchKinds))
	for n := range benchKinds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, benchKinds[n].summary)
	}
}

// benchTiming is what timeIt measured: the best and the median time of one
// call, over reps timed calls.
type benchTiming struct {
	best, median time.Duration
	reps         int
}

// timeIt calls fn once to warm up (caches, packing buffers, worker
// goroutines), then times single calls until they add up to minTime and at
// least minReps were made. The best time is the figure to quote on a shared
// machine (other load only ever slows a call down); the median shows the
// spread.
func timeIt(fn func(), minTime time.Duration, minReps int) benchTiming {
	fn()
	var times []time.Duration
	var total time.Duration
	for total < minTime || len(times) < minReps {
		t0 := time.Now()
		fn()
		d := time.Since(t0)
		times = append(times, d)
		total += d
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return benchTiming{best: times[0], median: times[len(times)/2], reps: len(times)}
}
