package ops_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/ops"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// Tied weights: the same embedding table E embeds the tokens and, as the
// lm_head weight, produces the logits; its gradient sums both uses.
func Example_tiedEmbedding() {
	rng := tensor.NewRNG(1)
	V, C := 5, 4
	table := tensor.New(V, C)
	rng.FillNormal(table.Data(), 0, 1)
	E := autograd.NewParam("word_embedding.weight", table)
	lmBias := autograd.NewParam("lm_head.bias", tensor.New(V))

	tp := autograd.NewTape()
	ids := []int{1, 3, 3, 0}                                           // (B=2, T=2)
	h := ops.Tanh(tp, ops.Embedding(tp, E, ids, 2, 2))                 // (B, T, C)
	logits := ops.Linear(tp, h, E, lmBias)                             // (B, T, V)
	perToken := ops.CrossEntropy(tp, logits, ids, nil, ops.ReduceNone) // (B, T)
	loss := ops.Mean(tp, perToken, 0)
	tp.Backward(loss)

	fmt.Println("logits", logits.Shape(), "per-token loss", perToken.Shape())
	fmt.Println("records:", tp.OpNames())
	// Output:
	// logits [2 2 5] per-token loss [2 2]
	// records: [embedding tanh linear cross_entropy mean]
}
