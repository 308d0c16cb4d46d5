package torchpt

import (
	"errors"
	"fmt"
	"math"
)

// maxBroadcast caps the elements of a view that has more elements than
// its storage (stride-0 broadcast or overlapping views), so a tiny file
// cannot ask for a huge copy.
const maxBroadcast = 1 << 24

// view is a strided window into a storage: element (i0, i1, ...) lives at
// offset + Σ i_k·stride_k, in elements.
type view struct {
	offset        int64
	shape, stride []int64
}

// check returns the element count of v and verifies that every element
// it addresses lies inside a storage of numel elements, with overflow
// checks on every product and sum.
func (v view) check(numel int64) (int64, error) {
	n := int64(1)
	for _, d := range v.shape {
		if d != 0 && n > math.MaxInt64/d {
			return 0, fmt.Errorf("size %v: element count overflows", v.shape)
		}
		n *= d
	}
	if n == 0 {
		if v.offset > numel {
			return 0, fmt.Errorf("offset %d past the %d-element storage", v.offset, numel)
		}
		return 0, nil
	}
	last := v.offset // highest element addressed
	for k, d := range v.shape {
		s := v.stride[k]
		if s != 0 && d-1 > (math.MaxInt64-last)/s {
			return 0, errors.New("view extent overflows")
		}
		last += (d - 1) * s
	}
	if last >= numel {
		return 0, fmt.Errorf("view (offset %d, size %v, stride %v) reaches element %d of a %d-element storage",
			v.offset, v.shape, v.stride, last, numel)
	}
	if n > numel && n > maxBroadcast {
		return 0, fmt.Errorf("view of %d elements over a %d-element storage exceeds the %d-element broadcast cap", n, numel, maxBroadcast)
	}
	if n > math.MaxInt/8 {
		return 0, fmt.Errorf("size %v too large for this platform", v.shape)
	}
	return n, nil
}

// gather returns the n elements of v (each size bytes) as a row-major
// buffer. A contiguous view is returned as a subslice of data, without a
// copy; otherwise the innermost dimension is walked with its stride and
// the outer indices advance like an odometer.
func (v view) gather(data []byte, size, n int) []byte {
	if n == 0 {
		return []byte{}
	}
	if v.contiguous() {
		o := int(v.offset) * size
		return data[o : o+n*size : o+n*size]
	}
	out := make([]byte, n*size)
	rank := len(v.shape)
	inner, innerStride := int(v.shape[rank-1]), int(v.stride[rank-1])
	idx := make([]int64, rank-1) // odometer over the outer dimensions
	base := v.offset             // storage element of idx's first inner element
	for dst := 0; dst < n*size; {
		src := int(base)
		for j := 0; j < inner; j++ {
			copy(out[dst:dst+size], data[src*size:src*size+size])
			dst += size
			src += innerStride
		}
		for k := rank - 2; k >= 0; k-- {
			idx[k]++
			base += v.stride[k]
			if idx[k] < v.shape[k] {
				break
			}
			base -= idx[k] * v.stride[k]
			idx[k] = 0
		}
	}
	return out
}

// contiguous reports row-major strides (dimensions of size 1 may carry
// any stride).
func (v view) contiguous() bool {
	want := int64(1)
	for k := len(v.shape) - 1; k >= 0; k-- {
		if v.shape[k] != 1 && v.stride[k] != want {
			return false
		}
		want *= v.shape[k]
	}
	return true
}
