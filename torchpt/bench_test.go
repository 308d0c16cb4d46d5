package torchpt

import (
	"os"
	"testing"
)

// BenchmarkParseTinyModel: the official tiny model (50 tensors, 49k
// parameters), CRC check and pickle included.
func BenchmarkParseTinyModel(b *testing.B) {
	data, err := os.ReadFile(testdata(b, "diffuseq-tiny-model.pt"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
