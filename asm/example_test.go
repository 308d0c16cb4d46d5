package asm_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/asm"
)

func ExampleDot() {
	x := []float32{1, 2, 3}
	y := []float32{4, 5, 6}
	fmt.Println(asm.Dot(x, y))
	// Output: 32
}

// Two rows of three logits; each output row sums to 1.
func ExampleSoftmaxRows() {
	x := []float32{0, 0, 0, 1, 2, 3}
	p := make([]float32, 6)
	asm.SoftmaxRows(p, x, 2, 3)
	fmt.Printf("%.4f\n", p)
	// Output: [0.3333 0.3333 0.3333 0.0900 0.2447 0.6652]
}

// LayerNormRows keeps the per-row mean and 1/std for the backward pass.
func ExampleLayerNormRows() {
	x := []float32{1, 2, 3, 4}
	gamma := []float32{1, 1, 1, 1}
	beta := []float32{0, 0, 0, 0}
	y, mean, rstd := make([]float32, 4), make([]float32, 1), make([]float32, 1)
	asm.LayerNormRows(y, x, gamma, beta, mean, rstd, 1, 4, 1e-5)
	fmt.Printf("%.4f mean=%.2f rstd=%.4f\n", y, mean[0], rstd[0])
	// Output: [-1.3416 -0.4472 0.4472 1.3416] mean=2.50 rstd=0.8944
}
