package text

import (
	"strings"
	"testing"
)

// BenchmarkWordPieceEncode encodes the oracle file's real sentences
// (Multi30k, QQP, IWSLT, CC) with the uncased vocab; MB/s is over the
// UTF-8 input.
func BenchmarkWordPieceEncode(b *testing.B) {
	wp, err := LoadWordPiece(oracleDir+"vocab_uncased.txt", true)
	if err != nil {
		b.Fatal(err)
	}
	var real []string
	n := 0
	for _, c := range readOracle(b, "expect_uncased.jsonl") {
		if c.Kind == "real" {
			real = append(real, c.Text)
			n += len(c.Text)
		}
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range real {
			wp.Encode(s)
		}
	}
}

// BenchmarkWordPieceAdversarial: 100-character words whose every position
// matches only a one-character piece, the worst case of greedy matching.
func BenchmarkWordPieceAdversarial(b *testing.B) {
	wp, err := LoadWordPiece(oracleDir+"vocab_uncased.txt", true)
	if err != nil {
		b.Fatal(err)
	}
	s := strings.Repeat(strings.Repeat("qx", 50)+" ", 1000)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		wp.Encode(s)
	}
}
