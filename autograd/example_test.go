package autograd_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/ops"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// Fit y = 2x + 1 with one linear unit and plain gradient descent.
func Example() {
	w := autograd.NewParam("weight", tensor.FromSlice([]float32{0}, 1, 1)) // (out, in)
	b := autograd.NewParam("bias", tensor.FromSlice([]float32{0}, 1))
	params := autograd.Params{w, b}
	x := tensor.FromSlice([]float32{-1, 0, 1, 2}, 4, 1) // (N, in)
	y := tensor.FromSlice([]float32{-1, 1, 3, 5}, 4, 1) // (N, out)

	tp := autograd.NewTape()
	var loss float32
	for step := 0; step < 200; step++ {
		tp.Reset()
		pred := ops.Linear(tp, tp.Const(x), w, b)            // (N, 1)
		l := ops.Mean(tp, ops.MSE(tp, pred, tp.Const(y)), 0) // scalar
		tp.Backward(l)
		for _, p := range params {
			g := p.Grad.Data()
			for i := range p.Data() {
				p.Data()[i] -= 0.1 * g[i]
			}
		}
		params.ZeroGrad()
		loss = l.Item()
	}
	fmt.Printf("w=%.3f b=%.3f loss<1e-6: %v\n", w.Data()[0], b.Data()[0], loss < 1e-6)
	// Output: w=2.000 b=1.000 loss<1e-6: true
}
