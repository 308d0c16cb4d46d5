package tensor

import (
	"fmt"
	"testing"
)

// FuzzViewChain applies a random chain of Permute, Transpose, Slice,
// Broadcast and Reshape to a tensor and checks every element against the
// index-arithmetic reference (refView), plus Contiguous and CopyFrom on the
// resulting view.
func FuzzViewChain(f *testing.F) {
	f.Add(uint64(1), []byte{0, 1, 2, 3})
	f.Add(uint64(7), []byte{2, 2, 0, 3, 1, 4})
	f.Add(uint64(99), []byte{3, 3, 3})
	f.Add(uint64(5), []byte{4, 0, 2, 1, 3, 2, 0})
	f.Fuzz(func(t *testing.T, seed uint64, ops []byte) {
		if len(ops) > 12 {
			ops = ops[:12]
		}
		r := NewRNG(seed)
		shape := make([]int, 1+r.Intn(4))
		for i := range shape {
			shape[i] = 1 + r.Intn(4)
		}
		off := r.Intn(5)
		base := iota(off + refNumel(shape) + r.Intn(3))
		x := FromSlice(base[off:off+refNumel(shape)], shape...)
		ref := refBase(shape, off)
		trace := fmt.Sprintf("base %v offset %d", shape, off)
		for _, op := range ops {
			rank := x.Rank()
			switch op % 5 {
			case 0: // permute
				axes := make([]int, rank)
				for i := range axes {
					axes[i] = i
				}
				for i := rank - 1; i > 0; i-- {
					j := r.Intn(i + 1)
					axes[i], axes[j] = axes[j], axes[i]
				}
				x, ref = x.Permute(axes...), ref.permute(axes)
				trace += fmt.Sprintf(" permute%v", axes)
			case 1: // transpose
				a, b := r.Intn(rank), r.Intn(rank)
				axes := make([]int, rank)
				for i := range axes {
					axes[i] = i
				}
				axes[a], axes[b] = axes[b], axes[a]
				x, ref = x.Transpose(a, b), ref.permute(axes)
				trace += fmt.Sprintf(" transpose(%d,%d)", a, b)
			case 2: // slice
				d := r.Intn(rank)
				lo := r.Intn(x.Dim(d) + 1)
				hi := lo + r.Intn(x.Dim(d)-lo+1)
				x, ref = x.Slice(d, lo, hi), ref.slice(d, lo, hi)
				trace += fmt.Sprintf(" slice(%d,%d,%d)", d, lo, hi)
			case 3: // broadcast: grow size-1 dims and maybe add a leading one
				sh := []int{}
				if rank < 5 && r.Intn(2) == 0 {
					sh = append(sh, 1+r.Intn(3))
				}
				for _, dd := range x.Shape() {
					if dd == 1 {
						dd = 1 + r.Intn(3)
					}
					sh = append(sh, dd)
				}
				if refNumel(sh) > 4096 {
					continue
				}
				x, ref = x.Broadcast(sh...), ref.broadcast(sh)
				trace += fmt.Sprintf(" broadcast%v", sh)
			case 4: // reshape: split or merge around the element count
				n := x.Len()
				var sh []int
				switch {
				case n == 0:
					sh = []int{0, 2}
				case r.Intn(2) == 0:
					sh = []int{n}
				default:
					k := 1 + r.Intn(n)
					for n%k != 0 {
						k--
					}
					sh = []int{k, n / k}
				}
				want := sh
				if n > 0 && r.Intn(2) == 0 {
					sh = append([]int{-1}, sh[1:]...)
				}
				x, ref = x.Reshape(sh...), ref.reshape(want)
				trace += fmt.Sprintf(" reshape%v", sh)
			}
		}
		checkView(t, trace, x, ref, base)
		c := x.Contiguous()
		checkView(t, trace+" contiguous", c, ref, base)
		y := New(x.Shape()...)
		y.CopyFrom(x)
		if !Equal(y, c) {
			t.Fatalf("%s: CopyFrom differs from Contiguous", trace)
		}
	})
}
