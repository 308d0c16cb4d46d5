package tensor

import (
	"slices"
	"testing"
)

// refView is the test oracle for views: a shape plus a function from an
// index tuple to a position in the base buffer, built by plain index
// arithmetic with no strides at all.
type refView struct {
	shape []int
	at    func(idx []int) int
}

func refBase(shape []int, offset int) refView {
	return refView{shape: slices.Clone(shape), at: func(idx []int) int {
		p := 0
		for i, v := range idx {
			p = p*shape[i] + v
		}
		return offset + p
	}}
}

func refNumel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// unravel turns a row-major position into an index tuple.
func unravel(p int, shape []int) []int {
	idx := make([]int, len(shape))
	for i := len(shape) - 1; i >= 0; i-- {
		if shape[i] > 0 {
			idx[i] = p % shape[i]
			p /= shape[i]
		}
	}
	return idx
}

func (r refView) permute(axes []int) refView {
	sh := make([]int, len(axes))
	for i, a := range axes {
		sh[i] = r.shape[a]
	}
	return refView{shape: sh, at: func(idx []int) int {
		old := make([]int, len(idx))
		for i, a := range axes {
			old[a] = idx[i]
		}
		return r.at(old)
	}}
}

func (r refView) slice(dim, lo, hi int) refView {
	sh := slices.Clone(r.shape)
	sh[dim] = hi - lo
	return refView{shape: sh, at: func(idx []int) int {
		old := slices.Clone(idx)
		old[dim] += lo
		return r.at(old)
	}}
}

func (r refView) broadcast(shape []int) refView {
	lead := len(shape) - len(r.shape)
	return refView{shape: slices.Clone(shape), at: func(idx []int) int {
		old := make([]int, len(r.shape))
		for i := range old {
			if r.shape[i] != 1 {
				old[i] = idx[i+lead]
			}
		}
		return r.at(old)
	}}
}

func (r refView) reshape(shape []int) refView {
	return refView{shape: slices.Clone(shape), at: func(idx []int) int {
		p := 0
		for i, v := range idx {
			p = p*shape[i] + v
		}
		return r.at(unravel(p, r.shape))
	}}
}

// checkView compares every element of t with the reference, by At and by
// the row-major order of Values.
func checkView(t *testing.T, what string, got *Tensor, want refView, base []float32) {
	t.Helper()
	if !slices.Equal(got.Shape(), want.shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape(), want.shape)
	}
	vals := got.Values()
	n := refNumel(want.shape)
	if len(vals) != n {
		t.Fatalf("%s: %d values, want %d", what, len(vals), n)
	}
	for p := 0; p < n; p++ {
		idx := unravel(p, want.shape)
		w := base[want.at(idx)]
		if g := got.At(idx...); g != w {
			t.Fatalf("%s: At%v = %v, want %v", what, idx, g, w)
		}
		if vals[p] != w {
			t.Fatalf("%s: Values()[%d] = %v, want %v", what, p, vals[p], w)
		}
	}
}

// iota returns a buffer whose element i is float32(i), so a value names its
// own position.
func iota(n int) []float32 {
	d := make([]float32, n)
	for i := range d {
		d[i] = float32(i)
	}
	return d
}
