package metrics

import (
	"fmt"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// benchCandidates makes lines×seeds outputs of about 12 words each from a
// 40-word vocabulary, so BLEU sees partial overlaps as in real decodes.
func benchCandidates(lines, seeds int) [][]string {
	rng := tensor.NewRNG(1)
	out := make([][]string, lines)
	for i := range out {
		out[i] = make([]string, seeds)
		for k := range out[i] {
			words := make([]string, 12)
			for j := range words {
				words[j] = fmt.Sprintf("w%d", rng.Intn(40))
			}
			out[i][k] = strings.Join(words, " ")
		}
	}
	return out
}

// BenchmarkSentenceBLEU: one NLTK-style BLEU of two 12-word sentences.
func BenchmarkSentenceBLEU(b *testing.B) {
	c := benchCandidates(1, 2)[0]
	for b.Loop() {
		BLEU(c[0], c[1])
	}
}

// BenchmarkSelectMBR10: MBR among 10 seeds (90 BLEUs), per line.
func BenchmarkSelectMBR10(b *testing.B) {
	c := benchCandidates(1, 10)[0]
	for b.Loop() {
		SelectMBR(c)
	}
}

// BenchmarkScore1000: the per-file scores of 1000 lines.
func BenchmarkScore1000(b *testing.B) {
	c := benchCandidates(1000, 2)
	ex := make([]Example, len(c))
	for i := range c {
		ex[i] = Example{Recover: c[i][0], Reference: c[i][1]}
	}
	for b.Loop() {
		Score(ex, Tokenize13a)
	}
}

// BenchmarkMBR1000x10: MBR selection for 1000 lines with 10 seeds.
func BenchmarkMBR1000x10(b *testing.B) {
	c := benchCandidates(1000, 10)
	seeds := make([][]Example, 10)
	for k := range seeds {
		seeds[k] = make([]Example, len(c))
		for i := range c {
			seeds[k][i] = Example{Recover: c[i][k], Reference: c[i][0]}
		}
	}
	for b.Loop() {
		MBR(seeds)
	}
}
