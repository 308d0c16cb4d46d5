package optim_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/optim"
)

// The training loop hands the optimizer its parameters once; each step it
// zeroes the gradients, lets backward sum into them, then calls Step.
func ExampleOptimizer() {
	w := optim.Param{Name: "word_embedding.weight", Value: []float32{0.5, -0.25}, Grad: make([]float32, 2)}
	cfg := optim.DefaultConfig()
	cfg.LearningSteps = 4
	o, err := optim.New(cfg, []optim.Param{w})
	if err != nil {
		panic(err)
	}
	for step := range 2 {
		optim.ZeroGrad(o.Params())
		w.Grad[0], w.Grad[1] = 3, -4 // as if from backward
		st := o.Step()
		fmt.Printf("update %d: lr %.3g, grad_norm %.1f\n", step, st.LR, st.GradNorm)
	}
	fmt.Printf("θ = %.6f %.6f\n", w.Value[0], w.Value[1])
	fmt.Println("ema key:", optim.EMAKey(o.EMAs()[0], w.Name))
	// Output:
	// update 0: lr 0.0001, grad_norm 5.0
	// update 1: lr 7.5e-05, grad_norm 5.0
	// θ = 0.499825 -0.249825
	// ema key: ema_0.9999.word_embedding.weight
}
