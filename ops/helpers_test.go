package ops

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// withThreads runs f with the worker pool set to n threads.
func withThreads(t *testing.T, n int, f func()) {
	t.Helper()
	prev := parallel.SetThreads(n)
	defer parallel.SetThreads(prev)
	f()
}
