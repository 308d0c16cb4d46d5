package tensor

import (
	"fmt"
	"slices"
)

// Arena hands out zero-filled tensors from buffers it keeps between
// training steps, so a step's temporaries cost no allocation once the arena
// has seen one step. Reset recycles everything at once:
//
//	var a tensor.Arena
//	for step := range steps {
//		a.Reset()            // every tensor from the last step is now invalid
//		h := a.New(B, T, C)  // (B, T, C), zero-filled
//		...
//	}
//
// Memory is carved from slabs by bumping a position. When a request does
// not fit, a new slab is added; at the next Reset the slabs are merged into
// one slab of their total size, so a step that repeats the previous step's
// requests is served from a single slab without allocating. Tensor headers
// (the *Tensor with its shape and strides) are recycled too.
//
// A tensor from New is valid until the next Reset; using it afterwards
// sees whatever the next step writes. Views of it (Reshape, Transpose, ...)
// are ordinary heap headers over the arena's memory. An Arena is not safe
// for concurrent use; give each goroutine its own.
type Arena struct {
	slabs   [][]float32
	slab    int // index of the slab being carved
	pos     int // next free element in slabs[slab]
	headers []*Tensor
	used    int // headers handed out since Reset
}

// minSlab is the smallest slab the arena allocates (256 KiB of float32).
const minSlab = 1 << 16

// New returns a zero-filled contiguous tensor of the given shape whose
// memory belongs to the arena.
func (a *Arena) New(shape ...int) *Tensor {
	n := 1
	for _, d := range shape {
		if d < 0 {
			// Clone so that shape does not escape: the variadic slice can
			// then live on the caller's stack, and New does not allocate.
			panic(fmt.Sprintf("tensor.Arena.New: negative dimension in shape %v", slices.Clone(shape)))
		}
		n *= d
	}
	data := a.alloc(n)
	clear(data)
	var t *Tensor
	if a.used < len(a.headers) {
		t = a.headers[a.used]
	} else {
		t = new(Tensor)
		a.headers = append(a.headers, t)
	}
	a.used++
	t.data, t.offset = data, 0
	t.shape = append(t.shape[:0], shape...)
	if cap(t.strides) < len(shape) {
		t.strides = make([]int, len(shape))
	}
	t.strides = t.strides[:len(shape)]
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		t.strides[i] = s
		s *= shape[i]
	}
	return t
}

// alloc carves n elements, adding a slab when the current ones are full.
func (a *Arena) alloc(n int) []float32 {
	for a.slab < len(a.slabs) {
		s := a.slabs[a.slab]
		if a.pos+n <= len(s) {
			p := a.pos
			a.pos += n
			return s[p : p+n : p+n]
		}
		a.slab++
		a.pos = 0
	}
	size := max(n, minSlab)
	if k := len(a.slabs); k > 0 {
		size = max(size, 2*len(a.slabs[k-1]))
	}
	a.slabs = append(a.slabs, make([]float32, size))
	a.slab, a.pos = len(a.slabs)-1, n
	return a.slabs[a.slab][:n:n]
}

// Reset makes all the arena's memory and headers available again. Every
// tensor obtained from New since the previous Reset becomes invalid.
func (a *Arena) Reset() {
	if len(a.slabs) > 1 {
		total := 0
		for _, s := range a.slabs {
			total += len(s)
		}
		a.slabs = append(a.slabs[:0], make([]float32, total))
	}
	a.slab, a.pos, a.used = 0, 0, 0
	for _, t := range a.headers {
		t.data = nil // let a merged-away slab be collected
	}
}

// Cap reports how many float32 elements the arena holds in its slabs.
func (a *Arena) Cap() int {
	total := 0
	for _, s := range a.slabs {
		total += len(s)
	}
	return total
}

// String describes the arena's use, for debugging memory growth.
func (a *Arena) String() string {
	return fmt.Sprintf("Arena{%d slabs, %d elements, %d tensors in use}", len(a.slabs), a.Cap(), a.used)
}
