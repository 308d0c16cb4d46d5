package generate_test

import (
	"context"
	"fmt"
	"log"

	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/generate"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/text"
)

// A trained run is loaded with generate.Load("runs/NAME", ...); here an
// untrained in-memory model stands in, so the words are random.
func ExampleGenerator_Generate() {
	tok, _ := text.NewCustomVocab([]string{"the", "cat", "sat", "on", "mat"})
	m, _ := model.New(model.Config{VocabSize: tok.VocabSize(), HiddenDim: 8, HiddenTDim: 8, HiddenSize: 16,
		Layers: 1, Heads: 2, Intermediate: 32, MaxPositions: 16, LayerNormEps: 1e-12, SeqLen: 12}, 1)
	g, err := generate.New(m, tok, diffuseq.Config{DiffusionSteps: 20, NoiseSchedule: "sqrt", RescaleTimesteps: true})
	if err != nil {
		log.Fatal(err)
	}
	res, err := g.Generate(context.Background(), []string{"the cat sat"}, generate.Options{Seed: 101, Steps: 10, TraceEvery: 5})
	if err != nil {
		log.Fatal(err)
	}
	r := res[0]
	fmt.Println("source:", r.Source)
	fmt.Println("generated positions:", len(r.Tokens))
	for _, f := range r.Trajectory {
		fmt.Println("frame at t =", f.T)
	}
	// Output:
	// source: [START] the cat sat [END] [END]
	// generated positions: 6
	// frame at t = 20
	// frame at t = 11
	// frame at t = 0
}
