package asm

import "fmt"

// The element-wise and reduction kernels that stay in Go (memory-bound or
// not worth assembly, see docs/kernels.md). Each exported function checks
// lengths and calls a function variable; the *Generic twins in
// vec_generic.go are the specification. The kernels with assembly live in
// their own file families: dot*, axpy*, exp*, tanh*, softmax*, layernorm*,
// gelu*, max*, argmin*.

// vecChunk bounds the elements one assembly call processes: Go cannot
// preempt a goroutine inside assembly, so long vectors are fed to the
// leaf kernels in pieces of at most this many elements (16 KiB of float32).
const vecChunk = 4096

func sameLen(op string, n int, xs ...[]float32) {
	for _, x := range xs {
		if len(x) < n {
			panic(fmt.Sprintf("asm.%s: slice of length %d shorter than %d", op, len(x), n))
		}
	}
}

var (
	scale = scaleGeneric
	sum   = sumGeneric
	maxf  = maxGeneric
	silu  = siluGeneric
)

// Scale computes x[i] *= alpha.
func Scale(alpha float32, x []float32) { scale(alpha, x) }

// Add computes dst[i] = x[i] + y[i] for i < len(dst). Memory-bound, so pure Go.
func Add(dst, x, y []float32) {
	sameLen("Add", len(dst), x, y)
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = x[i] + y[i]
	}
}

// Mul computes dst[i] = x[i] · y[i] for i < len(dst). Memory-bound, so pure Go.
func Mul(dst, x, y []float32) {
	sameLen("Mul", len(dst), x, y)
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = x[i] * y[i]
	}
}

// Sum returns Σ x[i] (0 for an empty slice).
//
// Reference loop (sumGeneric): s += x[i] in order. The AVX2 and NEON paths
// add in 16 lanes chunk by chunk, so the result may differ by rounding:
// |Sum - exact| ≤ 2(n+1)·2⁻²⁴·Σ|x[i]|; deterministic for a given level.
func Sum(x []float32) float32 { return sum(x) }

// sumChunked feeds a leaf reduction bounded pieces and adds the partial
// sums in order.
func sumChunked(leaf func(x []float32) float32, x []float32) float32 {
	var s float32
	for len(x) > vecChunk {
		s += leaf(x[:vecChunk])
		x = x[vecChunk:]
	}
	return s + leaf(x)
}

// Max returns max x[i]; -Inf for an empty slice. NaNs are ignored unless
// every element is NaN. The AVX2 and NEON paths (max_*.s) compare in
// lanes, so when the maximum is a zero its sign may differ from the loop's.
func Max(x []float32) float32 { return maxf(x) }

// Silu computes dst[i] = x[i]·σ(x[i]).
func Silu(dst, x []float32) { sameLen("Silu", len(dst), x); silu(dst, x[:len(dst)]) }
