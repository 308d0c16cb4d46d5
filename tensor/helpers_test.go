package tensor

import (
	"math"
	"slices"
	"testing"
)

func TestFillZerosLike(t *testing.T) {
	x := FromSlice(iota(12), 3, 4)
	z := ZerosLike(x.Transpose(0, 1))
	if !slices.Equal(z.Shape(), []int{4, 3}) || !Equal(z, New(4, 3)) {
		t.Errorf("ZerosLike: %v %v", z.Shape(), z.Values())
	}
	x.Slice(1, 1, 3).Fill(-1) // strided view
	want := []float32{0, -1, -1, 3, 4, -1, -1, 7, 8, -1, -1, 11}
	if !slices.Equal(x.Data(), want) {
		t.Errorf("Fill on a column slice: %v, want %v", x.Data(), want)
	}
	x.Fill(2)
	if !Equal(x, Full(2, 3, 4)) {
		t.Errorf("Fill contiguous: %v", x.Data())
	}
}

func TestEqualAllClose(t *testing.T) {
	a := FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	b := FromSlice([]float32{1, 3, 2, 4}, 2, 2).Transpose(0, 1)
	if !Equal(a, b) {
		t.Error("Equal on a transposed view of the same values")
	}
	if Equal(a, a.Reshape(4)) || Equal(a, FromSlice([]float32{1, 2, 3, 5}, 2, 2)) {
		t.Error("Equal accepted a different shape or value")
	}
	nan := float32(math.NaN())
	if Equal(FromSlice([]float32{nan}, 1), FromSlice([]float32{nan}, 1)) {
		t.Error("NaN equals NaN")
	}
	c := FromSlice([]float32{1.001, 2, 3, 4}, 2, 2)
	if !AllClose(a, c, 0, 0.0011) || AllClose(a, c, 0, 0.0009) || !AllClose(c, a, 0.0011, 0) {
		t.Error("AllClose tolerance")
	}
	inf := float32(math.Inf(1))
	if !AllClose(FromSlice([]float32{inf}, 1), FromSlice([]float32{inf}, 1), 0, 0) {
		t.Error("equal infinities are not close")
	}
	if AllClose(FromSlice([]float32{nan}, 1), FromSlice([]float32{nan}, 1), 1, 1) {
		t.Error("NaNs are close")
	}
}

func TestArgMax(t *testing.T) {
	nan := float32(math.NaN())
	x := FromSlice([]float32{
		1, 5, 5, 2, // tie: first
		-3, -1, -2, -9,
		nan, 0, nan, -1,
		nan, nan, nan, nan,
	}, 2, 2, 4)
	if got := x.ArgMax(); !slices.Equal(got, []int{1, 1, 1, 0}) {
		t.Errorf("ArgMax = %v", got)
	}
	// On a transposed (non-contiguous) view the last dim is the old first.
	y := FromSlice([]float32{1, 9, 7, 2}, 2, 2).Transpose(0, 1) // [[1 7] [9 2]]
	if got := y.ArgMax(); !slices.Equal(got, []int{1, 0}) {
		t.Errorf("ArgMax of transpose = %v", got)
	}
	mustPanic(t, func() { New().ArgMax() }, "ArgMax")
	mustPanic(t, func() { New(3, 0).ArgMax() }, "ArgMax", "[3 0]")
}
