package tensor_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// The RNG gives the same stream on every platform; Split gives each work
// item its own stream without advancing the parent.
func ExampleRNG() {
	r := tensor.NewRNG(42)
	fmt.Println(r.Intn(10), r.Intn(10), r.Intn(10))
	w := r.Split(7) // e.g. the stream of batch item 7
	fmt.Printf("%.6f\n", w.Normal())
	// Output:
	// 3 1 8
	// -2.264225
}

// An Arena serves a step's temporaries from reused memory; Reset recycles
// everything at once.
func ExampleArena() {
	var a tensor.Arena
	for step := 0; step < 3; step++ {
		a.Reset()
		h := a.New(2, 3) // (B, C), zero-filled
		h.Set(float32(step), 1, 2)
		fmt.Println(h.At(1, 2), h.At(0, 0))
	}
	// Output:
	// 0 0
	// 1 0
	// 2 0
}

// Views share storage: a transpose of a slice reads the same buffer.
func ExampleTensor_Transpose() {
	x := tensor.FromSlice([]float32{0, 1, 2, 3, 4, 5}, 2, 3)
	y := x.Slice(1, 1, 3).Transpose(0, 1) // (2, 2) view of columns 1..2
	fmt.Println(y.Shape(), y.Values(), y.IsContiguous())
	// Output:
	// [2 2] [1 4 2 5] false
}
