// Package tensor is the float32 N-d array the rest of the engine stands on:
// a shared buffer plus shape, strides and offset, so that reshape,
// transpose/permute, slice and broadcast are views that copy nothing.
//
// Shape mistakes are programming errors and panic with a message naming
// the operation and the shapes.
package tensor

import (
	"fmt"
	"slices"
)

// Tensor is a strided view of a float32 buffer. The zero value is an empty
// scalar-less tensor; use New or FromSlice.
type Tensor struct {
	data    []float32
	shape   []int
	strides []int // in elements; 0 on broadcast dimensions
	offset  int
}

// New returns a zero-filled contiguous tensor of the given shape.
func New(shape ...int) *Tensor {
	n := numel("New", shape)
	return &Tensor{data: make([]float32, n), shape: slices.Clone(shape), strides: rowMajor(shape)}
}

// FromSlice wraps data (not copied) as a contiguous tensor of the given shape.
func FromSlice(data []float32, shape ...int) *Tensor {
	n := numel("FromSlice", shape)
	if len(data) != n {
		panic(fmt.Sprintf("tensor.FromSlice: %d values for shape %v (%d elements)", len(data), shape, n))
	}
	return &Tensor{data: data, shape: slices.Clone(shape), strides: rowMajor(shape)}
}

// Full returns a contiguous tensor with every element set to v.
func Full(v float32, shape ...int) *Tensor {
	t := New(shape...)
	for i := range t.data {
		t.data[i] = v
	}
	return t
}

func numel(op string, shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("tensor.%s: negative dimension in shape %v", op, shape))
		}
		n *= d
	}
	return n
}

func rowMajor(shape []int) []int {
	st := make([]int, len(shape))
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		st[i] = s
		s *= shape[i]
	}
	return st
}

// Shape returns the dimensions (do not modify).
func (t *Tensor) Shape() []int { return t.shape }

// Strides returns the element strides (do not modify).
func (t *Tensor) Strides() []int { return t.strides }

// Offset is the index in the buffer of the first element.
func (t *Tensor) Offset() int { return t.offset }

// Rank is the number of dimensions.
func (t *Tensor) Rank() int { return len(t.shape) }

// Dim returns the size of dimension i; negative i counts from the end.
func (t *Tensor) Dim(i int) int { return t.shape[t.axis("Dim", i)] }

// Len is the number of elements.
func (t *Tensor) Len() int { return numel("Len", t.shape) }

// Buffer is the whole underlying buffer, shared with every view of it.
func (t *Tensor) Buffer() []float32 { return t.data }

// IsContiguous reports whether the elements lie in row-major order with no
// gaps, so Data can hand them out as one slice.
func (t *Tensor) IsContiguous() bool {
	s := 1
	for i := len(t.shape) - 1; i >= 0; i-- {
		if t.shape[i] != 1 && t.strides[i] != s {
			return false
		}
		s *= t.shape[i]
	}
	return true
}

// Data returns the elements of a contiguous tensor as a slice of the shared
// buffer (writes go through). It panics on a non-contiguous view: call
// Contiguous first.
func (t *Tensor) Data() []float32 {
	if !t.IsContiguous() {
		panic(fmt.Sprintf("tensor.Data: view of shape %v strides %v is not contiguous", t.shape, t.strides))
	}
	return t.data[t.offset : t.offset+t.Len()]
}

// Contiguous returns t itself when it is contiguous, else a packed copy.
func (t *Tensor) Contiguous() *Tensor {
	if t.IsContiguous() {
		return t
	}
	return t.Clone()
}

// Clone returns a contiguous copy.
func (t *Tensor) Clone() *Tensor {
	out := New(t.shape...)
	out.CopyFrom(t)
	return out
}

// CopyFrom copies src, which must have t's shape, into t element by element
// in row-major order (both may be strided views).
func (t *Tensor) CopyFrom(src *Tensor) {
	if !slices.Equal(t.shape, src.shape) {
		panic(fmt.Sprintf("tensor.CopyFrom: shape %v from %v", t.shape, src.shape))
	}
	if t.IsContiguous() && src.IsContiguous() {
		copy(t.Data(), src.Data())
		return
	}
	dst := t
	ForEach2(dst, src, func(i, j int) { dst.data[i] = src.data[j] })
}

// Values returns a fresh contiguous copy of the elements.
func (t *Tensor) Values() []float32 { return slices.Clone(t.Contiguous().Data()) }

func (t *Tensor) axis(op string, i int) int {
	if i < 0 {
		i += len(t.shape)
	}
	if i < 0 || i >= len(t.shape) {
		panic(fmt.Sprintf("tensor.%s: axis out of range for shape %v", op, t.shape))
	}
	return i
}

func (t *Tensor) index(op string, idx []int) int {
	if len(idx) != len(t.shape) {
		panic(fmt.Sprintf("tensor.%s: %d indices for shape %v", op, len(idx), t.shape))
	}
	p := t.offset
	for i, v := range idx {
		if v < 0 || v >= t.shape[i] {
			panic(fmt.Sprintf("tensor.%s: index %v out of range for shape %v", op, idx, t.shape))
		}
		p += v * t.strides[i]
	}
	return p
}

// At returns the element at idx.
func (t *Tensor) At(idx ...int) float32 { return t.data[t.index("At", idx)] }

// Set stores v at idx.
func (t *Tensor) Set(v float32, idx ...int) { t.data[t.index("Set", idx)] = v }

// String prints the shape, enough to debug with.
func (t *Tensor) String() string { return fmt.Sprintf("Tensor%v", t.shape) }
