package metrics_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/metrics"
)

// The paper's BLEU: NLTK sentence BLEU with method4 smoothing, on
// whitespace tokens (NLTK 3.8 gives 0.14498534696702547 for the second).
func ExampleBLEU() {
	fmt.Printf("%.4f\n", metrics.BLEU("a man is walking .", "a man is walking ."))
	fmt.Printf("%.4f\n", metrics.BLEU("a man walks .", "a man is walking ."))
	// Output:
	// 1.0000
	// 0.1450
}

// MBR keeps the candidate that agrees most (by BLEU) with the others.
func ExampleSelectMBR() {
	cands := []string{"a dog runs .", "a man is walking .", "a man is walking fast .", "the man is walking ."}
	fmt.Println(metrics.SelectMBR(cands))
	// Output: 1
}

// Corpus BLEU as sacrebleu prints it (0..100). 13a splits off the final
// periods and the comma: 12 hypothesis tokens, 10 matching unigrams.
func ExampleSacreBLEU() {
	s := metrics.SacreBLEU(
		[]string{"The cat sat on the mat.", "A man, walking."},
		[][]string{{"The cat sat on a mat."}, {"A man is walking."}},
		metrics.Tokenize13a)
	fmt.Printf("%.2f %v %v\n", s.Score, s.Counts, s.Totals)
	// Output: 37.99 [10 6 2 1] [12 10 8 6]
}

// ROUGE-L F-measure as torchmetrics computes it (float32).
func ExampleROUGEL() {
	fmt.Println(metrics.ROUGEL("The cat sat on mat!", "the cat is on the mat").FMeasure)
	// Output: 0.72727275
}
