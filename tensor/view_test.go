package tensor

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mustPanic runs f and checks that it panics with a message containing
// every one of wants.
func mustPanic(t *testing.T, f func(), wants ...string) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one mentioning %q", wants)
		}
		msg := fmt.Sprint(r)
		for _, w := range wants {
			if !strings.Contains(msg, w) {
				t.Fatalf("panic %q does not mention %q", msg, w)
			}
		}
	}()
	f()
}

func TestReshape(t *testing.T) {
	base := iota(24)
	x := FromSlice(base, 2, 3, 4)
	ref := refBase([]int{2, 3, 4}, 0)
	checkView(t, "reshape(6,4)", x.Reshape(6, 4), ref.reshape([]int{6, 4}), base)
	checkView(t, "reshape(-1,2)", x.Reshape(-1, 2), ref.reshape([]int{12, 2}), base)
	checkView(t, "reshape(4,-1,3)", x.Reshape(4, -1, 3), ref.reshape([]int{4, 2, 3}), base)
	checkView(t, "reshape(24)", x.Reshape(24), ref.reshape([]int{24}), base)
	if r := x.Reshape(6, 4); &r.Buffer()[0] != &base[0] {
		t.Error("reshape of a contiguous tensor copied")
	}

	// Non-contiguous input: reshape of a transpose packs first, so the
	// result follows the transposed order and no longer aliases x.
	xt := x.Transpose(1, 2) // (2, 4, 3)
	r := xt.Reshape(8, 3)
	checkView(t, "transpose then reshape", r, ref.permute([]int{0, 2, 1}).reshape([]int{8, 3}), base)
	r.Set(-1, 0, 0)
	if base[0] != 0 {
		t.Error("reshape of a non-contiguous view wrote through to the source")
	}

	mustPanic(t, func() { x.Reshape(5, 5) }, "Reshape", "[5 5]", "[2 3 4]")
	mustPanic(t, func() { x.Reshape(-1, 5) }, "Reshape", "-1")
	mustPanic(t, func() { x.Reshape(-1, -1) }, "Reshape")
	mustPanic(t, func() { x.Reshape(-2, 12) }, "Reshape")
	// Scalars and empty tensors.
	if s := FromSlice([]float32{7}).Reshape(1, 1); s.At(0, 0) != 7 {
		t.Error("scalar reshape")
	}
	if e := New(0, 3).Reshape(3, 0); e.Len() != 0 {
		t.Error("empty reshape")
	}
}

func TestPermuteTranspose(t *testing.T) {
	base := iota(2 * 3 * 4 * 5)
	x := FromSlice(base, 2, 3, 4, 5)
	ref := refBase([]int{2, 3, 4, 5}, 0)
	for _, axes := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}} {
		checkView(t, fmt.Sprint("permute", axes), x.Permute(axes...), ref.permute(axes), base)
	}
	checkView(t, "permute with negative axes", x.Permute(-1, 0, 1, 2), ref.permute([]int{3, 0, 1, 2}), base)
	checkView(t, "transpose(1,3)", x.Transpose(1, 3), ref.permute([]int{0, 3, 2, 1}), base)
	checkView(t, "transpose(-1,-2)", x.Transpose(-1, -2), ref.permute([]int{0, 1, 3, 2}), base)
	// A transpose is a view: writes go through.
	x.Transpose(0, 3).Set(-5, 4, 2, 3, 1)
	if got := x.At(1, 2, 3, 4); got != -5 {
		t.Errorf("write through transpose: x[1,2,3,4] = %v", got)
	}
	if x.Transpose(0, 1).IsContiguous() {
		t.Error("a transpose reports contiguous")
	}
	mustPanic(t, func() { x.Permute(0, 1, 2) }, "Permute", "[0 1 2]")
	mustPanic(t, func() { x.Permute(0, 1, 1, 2) }, "Permute", "repeated")
	mustPanic(t, func() { x.Permute(0, 1, 2, 4) }, "Permute", "out of range")
	mustPanic(t, func() { x.Transpose(0, 9) }, "Transpose")
}

func TestSlice(t *testing.T) {
	base := iota(4 * 5 * 6)
	x := FromSlice(base, 4, 5, 6)
	ref := refBase([]int{4, 5, 6}, 0)
	checkView(t, "slice(0,1,3)", x.Slice(0, 1, 3), ref.slice(0, 1, 3), base)
	checkView(t, "slice(1,2,5)", x.Slice(1, 2, 5), ref.slice(1, 2, 5), base)
	checkView(t, "slice(-1,4,6)", x.Slice(-1, 4, 6), ref.slice(2, 4, 6), base)
	checkView(t, "slice(2,3,3) empty", x.Slice(2, 3, 3), ref.slice(2, 3, 3), base)
	chain := x.Slice(2, 1, 5).Transpose(0, 2).Slice(1, 1, 4).Slice(0, 2, 3)
	checkView(t, "slice/transpose chain", chain, ref.slice(2, 1, 5).permute([]int{2, 1, 0}).slice(1, 1, 4).slice(0, 2, 3), base)
	if x.Slice(1, 1, 2).IsContiguous() {
		t.Error("a middle-dim slice (4,1,6) with gaps reports contiguous")
	}
	if !x.Slice(0, 1, 3).IsContiguous() {
		t.Error("a leading-dim slice should be contiguous")
	}
	if x.Slice(2, 0, 3).IsContiguous() {
		t.Error("a last-dim slice reports contiguous")
	}
	mustPanic(t, func() { x.Slice(0, 3, 2) }, "Slice", "[3:2]")
	mustPanic(t, func() { x.Slice(0, -1, 2) }, "Slice")
	mustPanic(t, func() { x.Slice(1, 0, 6) }, "Slice", "[4 5 6]")
	mustPanic(t, func() { x.Slice(3, 0, 1) }, "Slice", "axis")
}

func TestBroadcast(t *testing.T) {
	base := iota(3)
	x := FromSlice(base, 3, 1)
	ref := refBase([]int{3, 1}, 0)
	b := x.Broadcast(2, 3, 4)
	checkView(t, "broadcast (3,1)->(2,3,4)", b, ref.broadcast([]int{2, 3, 4}), base)
	if diff := cmp.Diff([]int{0, 1, 0}, b.Strides()); diff != "" {
		t.Errorf("broadcast strides (-want +got):\n%s", diff)
	}
	if b.IsContiguous() {
		t.Error("a broadcast view reports contiguous")
	}
	row := FromSlice(iota(4), 4)
	checkView(t, "broadcast (4)->(3,4)", row.Broadcast(3, 4), refBase([]int{4}, 0).broadcast([]int{3, 4}), iota(4))
	// Broadcast of a strided view keeps its strides.
	m := FromSlice(iota(12), 3, 4)
	col := m.Slice(1, 2, 3) // (3,1)
	checkView(t, "broadcast of a column slice", col.Broadcast(3, 5),
		refBase([]int{3, 4}, 0).slice(1, 2, 3).broadcast([]int{3, 5}), iota(12))
	mustPanic(t, func() { x.Broadcast(2, 2) }, "Broadcast", "[3 1]", "[2 2]")
	mustPanic(t, func() { x.Broadcast(2, 4) }, "Broadcast")
	mustPanic(t, func() { x.Broadcast(3) }, "Broadcast", "fewer")
}

func TestBroadcastShapes(t *testing.T) {
	for _, c := range []struct{ a, b, want []int }{
		{[]int{2, 3}, []int{2, 3}, []int{2, 3}},
		{[]int{2, 3}, []int{3}, []int{2, 3}},
		{[]int{3}, []int{2, 3}, []int{2, 3}},
		{[]int{2, 1, 4}, []int{3, 1}, []int{2, 3, 4}},
		{[]int{1}, []int{5, 1, 2}, []int{5, 1, 2}},
		{[]int{}, []int{4, 2}, []int{4, 2}},
		{[]int{}, []int{}, []int{}},
		{[]int{0, 1}, []int{1, 3}, []int{0, 3}},
		{[]int{8, 1, 6, 1}, []int{7, 1, 5}, []int{8, 7, 6, 5}},
	} {
		got, err := BroadcastShapes(c.a, c.b)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("BroadcastShapes(%v, %v) = %v, %v; want %v", c.a, c.b, got, err, c.want)
		}
	}
	for _, c := range [][2][]int{{{2, 3}, {3, 2}}, {{4}, {3}}, {{2, 1}, {8, 4, 3}}, {{0}, {2}}} {
		_, err := BroadcastShapes(c[0], c[1])
		if err == nil {
			t.Errorf("BroadcastShapes(%v, %v): no error", c[0], c[1])
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, fmt.Sprint(c[0])) || !strings.Contains(msg, fmt.Sprint(c[1])) {
			t.Errorf("error %q does not name both shapes", msg)
		}
	}
}

func TestContiguousCloneCopyFrom(t *testing.T) {
	base := iota(60)
	x := FromSlice(base, 3, 4, 5)
	if x.Contiguous() != x {
		t.Error("Contiguous of a contiguous tensor copied")
	}
	v := x.Permute(2, 0, 1).Slice(0, 1, 4) // (3,3,4), strided, offset 1
	ref := refBase([]int{3, 4, 5}, 0).permute([]int{2, 0, 1}).slice(0, 1, 4)
	c := v.Contiguous()
	if !c.IsContiguous() || c == v {
		t.Fatal("Contiguous of a strided view did not pack")
	}
	checkView(t, "contiguous", c, ref, base)
	cl := x.Clone()
	cl.Set(99, 0, 0, 0)
	if base[0] != 0 {
		t.Error("Clone shares storage")
	}
	// CopyFrom strided → strided.
	dstBase := make([]float32, 3*3*4*2)
	big := FromSlice(dstBase, 4, 3, 3, 2)        // different layout over the same buffer
	d2 := big.Permute(1, 2, 0, 3).Slice(2, 0, 4) // (3,3,4,2) strided
	d3 := d2.Slice(3, 1, 2)                      // (3,3,4,1)
	d4 := FromSlice(make([]float32, 36), 3, 3, 4)
	d4.CopyFrom(v)
	checkView(t, "CopyFrom into contiguous", d4, ref, base)
	d3.Reshape(3, 3, 4) // packs; must not alter dstBase
	for _, f := range dstBase {
		if f != 0 {
			t.Fatal("reshape of a strided view wrote into the source")
		}
	}
	tgt := d2.Transpose(2, 3).Slice(2, 1, 2).Permute(0, 1, 3, 2) // (3,3,4,1) strided
	tgt.CopyFrom(v.Reshape(3, 3, 4, 1))
	checkView(t, "CopyFrom strided->strided", tgt, ref.reshape([]int{3, 3, 4, 1}), base)
	mustPanic(t, func() { d4.CopyFrom(x) }, "CopyFrom", "[3 3 4]", "[3 4 5]")
	// Copy from a broadcast view materialises the repeats.
	r := New(2, 3)
	r.CopyFrom(FromSlice([]float32{1, 2, 3}, 3).Broadcast(2, 3))
	if diff := cmp.Diff([]float32{1, 2, 3, 1, 2, 3}, r.Data()); diff != "" {
		t.Errorf("CopyFrom broadcast (-want +got):\n%s", diff)
	}
}

func TestAtSetErrors(t *testing.T) {
	x := New(2, 3)
	x.Set(4, 1, 2)
	if x.At(1, 2) != 4 || x.Data()[5] != 4 {
		t.Error("Set/At")
	}
	mustPanic(t, func() { x.At(2, 0) }, "At", "[2 0]", "[2 3]")
	mustPanic(t, func() { x.At(0, -1) }, "At", "out of range")
	mustPanic(t, func() { x.At(0) }, "At", "1 indices")
	mustPanic(t, func() { x.Set(1, 0, 3) }, "Set", "[0 3]")
	mustPanic(t, func() { x.Set(1, 0, 0, 0) }, "Set", "3 indices")
	mustPanic(t, func() { x.Transpose(0, 1).Data() }, "Data", "not contiguous")
	mustPanic(t, func() { New(2, -1) }, "New", "negative")
	mustPanic(t, func() { FromSlice(make([]float32, 5), 2, 3) }, "FromSlice", "5 values", "[2 3]")
	mustPanic(t, func() { x.Dim(2) }, "Dim")
	if x.Dim(-1) != 3 || x.Rank() != 2 || x.Len() != 6 {
		t.Error("Dim/Rank/Len")
	}
	s := New() // scalar
	s.Set(3)
	if s.At() != 3 || s.Len() != 1 {
		t.Error("scalar At/Set")
	}
}

// TestOffsetBase runs a chain on a tensor that itself starts at an offset in
// a larger buffer.
func TestOffsetBase(t *testing.T) {
	base := iota(5 * 4 * 3)
	x := FromSlice(base, 5, 4, 3).Slice(0, 2, 5) // (3,4,3) at offset 24
	ref := refBase([]int{5, 4, 3}, 0).slice(0, 2, 5)
	checkView(t, "offset base", x, ref, base)
	checkView(t, "offset base reshape", x.Reshape(-1, 6), ref.reshape([]int{6, 6}), base)
	checkView(t, "offset base permute+broadcast", x.Permute(2, 0, 1).Slice(0, 1, 2).Broadcast(2, 2, 3, 4),
		ref.permute([]int{2, 0, 1}).slice(0, 1, 2).broadcast([]int{2, 2, 3, 4}), base)
}
