package tensor

import (
	"fmt"
	"slices"
)

// Reshape returns a view with a new shape holding the same elements. One
// dimension may be -1 and is inferred. A non-contiguous t is packed first
// (as NumPy's reshape copies when it must).
func (t *Tensor) Reshape(shape ...int) *Tensor {
	shape = slices.Clone(shape)
	n, infer := 1, -1
	for i, d := range shape {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			panic(fmt.Sprintf("tensor.Reshape: bad shape %v", shape))
		default:
			n *= d
		}
	}
	total := t.Len()
	if infer >= 0 {
		if n == 0 || total%n != 0 {
			panic(fmt.Sprintf("tensor.Reshape: cannot infer -1 in %v from %v", shape, t.shape))
		}
		shape[infer] = total / n
		n = total
	}
	if n != total {
		panic(fmt.Sprintf("tensor.Reshape: shape %v (%d elements) from %v (%d)", shape, n, t.shape, total))
	}
	c := t.Contiguous()
	return &Tensor{data: c.data, shape: shape, strides: rowMajor(shape), offset: c.offset}
}

// Permute returns a view whose dimension i is t's dimension axes[i].
func (t *Tensor) Permute(axes ...int) *Tensor {
	if len(axes) != len(t.shape) {
		panic(fmt.Sprintf("tensor.Permute: axes %v for shape %v", axes, t.shape))
	}
	seen := make([]bool, len(axes))
	sh, st := make([]int, len(axes)), make([]int, len(axes))
	for i, a := range axes {
		a = t.axis("Permute", a)
		if seen[a] {
			panic(fmt.Sprintf("tensor.Permute: repeated axis in %v", axes))
		}
		seen[a] = true
		sh[i], st[i] = t.shape[a], t.strides[a]
	}
	return &Tensor{data: t.data, shape: sh, strides: st, offset: t.offset}
}

// Transpose swaps two dimensions (a view).
func (t *Tensor) Transpose(a, b int) *Tensor {
	axes := make([]int, len(t.shape))
	for i := range axes {
		axes[i] = i
	}
	a, b = t.axis("Transpose", a), t.axis("Transpose", b)
	axes[a], axes[b] = axes[b], axes[a]
	return t.Permute(axes...)
}

// Slice returns the view t[..., lo:hi, ...] along dimension dim.
func (t *Tensor) Slice(dim, lo, hi int) *Tensor {
	dim = t.axis("Slice", dim)
	if lo < 0 || hi < lo || hi > t.shape[dim] {
		panic(fmt.Sprintf("tensor.Slice: [%d:%d] on dim %d of %v", lo, hi, dim, t.shape))
	}
	sh := slices.Clone(t.shape)
	sh[dim] = hi - lo
	return &Tensor{data: t.data, shape: sh, strides: slices.Clone(t.strides), offset: t.offset + lo*t.strides[dim]}
}

// Broadcast returns a view of t expanded to shape under NumPy's rules
// (dimensions aligned on the right; a size-1 or missing dimension repeats
// with stride 0). Nothing is copied.
func (t *Tensor) Broadcast(shape ...int) *Tensor {
	if len(shape) < len(t.shape) {
		panic(fmt.Sprintf("tensor.Broadcast: %v to fewer dimensions %v", t.shape, shape))
	}
	st := make([]int, len(shape))
	lead := len(shape) - len(t.shape)
	for i := range shape {
		if i < lead {
			continue
		}
		d := t.shape[i-lead]
		switch {
		case d == shape[i]:
			st[i] = t.strides[i-lead]
		case d == 1:
			st[i] = 0
		default:
			panic(fmt.Sprintf("tensor.Broadcast: %v cannot broadcast to %v", t.shape, shape))
		}
	}
	return &Tensor{data: t.data, shape: slices.Clone(shape), strides: st, offset: t.offset}
}

// BroadcastShapes returns the shape two operands broadcast to under NumPy's
// rules, or an error naming both shapes.
func BroadcastShapes(a, b []int) ([]int, error) {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			return nil, fmt.Errorf("shapes %v and %v do not broadcast", a, b)
		}
	}
	return out, nil
}

// ForEach2 calls fn with the buffer positions of matching elements of a and
// b (same shape) in row-major order. It is the one strided walker that
// element-wise code on views builds on.
func ForEach2(a, b *Tensor, fn func(i, j int)) {
	if !slices.Equal(a.shape, b.shape) {
		panic(fmt.Sprintf("tensor.ForEach2: shapes %v and %v differ", a.shape, b.shape))
	}
	if a.Len() == 0 {
		return
	}
	r := len(a.shape)
	idx := make([]int, r)
	pa, pb := a.offset, b.offset
	for {
		fn(pa, pb)
		k := r - 1
		for ; k >= 0; k-- {
			idx[k]++
			pa += a.strides[k]
			pb += b.strides[k]
			if idx[k] < a.shape[k] {
				break
			}
			pa -= idx[k] * a.strides[k]
			pb -= idx[k] * b.strides[k]
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}
