package synth_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/synth"
)

func ExampleAccuracy() {
	srcs := []string{"the big dog chases my quiet kitty", "my old car finds the red boat"}
	outs := []string{
		"[START] my silent cat is pursued by the large hound [END] [PAD]", // a correct paraphrase
		"the red ship is found by my old boat",                            // wrong last noun
	}
	exact, words, err := synth.Accuracy(srcs, outs)
	if err != nil {
		panic(err)
	}
	fmt.Printf("exact %.2f, words %.3f\n", exact, words)
	// Output: exact 0.50, words 0.944
}
