// Package parallel runs loops over all cores with one persistent pool of
// workers. It exists so that kernels (sgemm, row softmax, ...) and ops share a
// single bounded set of goroutines instead of spawning one per call, and so
// that the thread count is one setting for the whole program.
//
// Work is always split over independent output ranges, never over a
// reduction, so results are bit-identical whatever the thread count.
package parallel

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

var (
	mu      sync.Mutex // guards threads and the worker set during SetThreads
	threads int
	jobs    chan job
)

type job struct {
	fn     func(lo, hi int)
	lo, hi int
	wg     *sync.WaitGroup
}

func init() {
	n := runtime.GOMAXPROCS(0)
	if s := os.Getenv("DIFFUSEQ_THREADS"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v > 0 {
			n = v
		}
	}
	SetThreads(n)
}

// Threads reports how many goroutines For may use at once.
func Threads() int {
	mu.Lock()
	defer mu.Unlock()
	return threads
}

// SetThreads sets the number of workers (at least 1) and returns the
// previous value. Extra workers are started lazily and never stopped; a
// lower count simply leaves some idle.
func SetThreads(n int) int {
	if n < 1 {
		n = 1
	}
	mu.Lock()
	defer mu.Unlock()
	prev := threads
	if jobs == nil {
		jobs = make(chan job, 256)
	}
	for started.Load() < int64(n-1) {
		started.Add(1)
		go worker()
	}
	threads = n
	return prev
}

var started atomic.Int64

func worker() {
	for j := range jobs {
		j.fn(j.lo, j.hi)
		j.wg.Done()
	}
}

// For calls fn on disjoint ranges [lo, hi) covering [0, n). Ranges hold at
// least grain items (except the last), so tiny loops run inline on the
// caller. The caller's goroutine works too, and For returns when all ranges
// are done. fn must not call For itself (no nested parallelism).
func For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	if grain < 1 {
		grain = 1
	}
	t := Threads()
	chunks := (n + grain - 1) / grain
	if chunks > t {
		chunks = t
	}
	if chunks <= 1 {
		fn(0, n)
		return
	}
	size := (n + chunks - 1) / chunks
	var wg sync.WaitGroup
	for lo := size; lo < n; lo += size {
		hi := min(lo+size, n)
		wg.Add(1)
		jobs <- job{fn: fn, lo: lo, hi: hi, wg: &wg}
	}
	fn(0, min(size, n))
	wg.Wait()
}
