package tensor

import (
	"fmt"
	"math"
	"slices"
)

// Small conveniences the ops, model and test code keep needing.

// ZerosLike returns a zero-filled contiguous tensor with t's shape.
func ZerosLike(t *Tensor) *Tensor { return New(t.shape...) }

// Fill sets every element of t (any view; broadcast elements share storage,
// so they are simply written more than once) to v.
func (t *Tensor) Fill(v float32) {
	if t.IsContiguous() {
		d := t.Data()
		for i := range d {
			d[i] = v
		}
		return
	}
	ForEach2(t, t, func(i, _ int) { t.data[i] = v })
}

// Equal reports whether a and b have the same shape and exactly equal
// elements (NaN equals nothing, as in IEEE arithmetic).
func Equal(a, b *Tensor) bool {
	if !slices.Equal(a.shape, b.shape) {
		return false
	}
	eq := true
	ForEach2(a, b, func(i, j int) {
		if a.data[i] != b.data[j] {
			eq = false
		}
	})
	return eq
}

// AllClose reports whether a and b have the same shape and every pair of
// elements satisfies |a-b| ≤ atol + rtol·|b| (NumPy's isclose; NaNs are never
// close, equal infinities are).
func AllClose(a, b *Tensor, rtol, atol float64) bool {
	if !slices.Equal(a.shape, b.shape) {
		return false
	}
	ok := true
	ForEach2(a, b, func(i, j int) {
		x, y := float64(a.data[i]), float64(b.data[j])
		if x == y {
			return
		}
		if !(math.Abs(x-y) <= atol+rtol*math.Abs(y)) {
			ok = false
		}
	})
	return ok
}

// ArgMax returns, for each row of the last dimension, the index of its
// largest element (the first one on ties; NaNs are skipped, and a row of
// only NaNs gives 0). The result has t's shape without the last dimension,
// as a flat row-major []int. It panics on a scalar or an empty last
// dimension.
func (t *Tensor) ArgMax() []int {
	if len(t.shape) == 0 || t.shape[len(t.shape)-1] == 0 {
		panic(fmt.Sprintf("tensor.ArgMax: shape %v has no last dimension to reduce", t.shape))
	}
	c := t.Contiguous().Data()
	n := t.shape[len(t.shape)-1]
	out := make([]int, len(c)/n)
	for r := range out {
		row := c[r*n : (r+1)*n]
		best := 0
		bestV := float32(math.Inf(-1))
		seen := false
		for j, v := range row {
			if v != v {
				continue
			}
			if !seen || v > bestV {
				best, bestV, seen = j, v, true
			}
		}
		out[r] = best
	}
	return out
}
