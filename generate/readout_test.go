package generate

import (
	"slices"
	"testing"

	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// TestReadOutChunksMatchWhole: 300 positions span two chunks.
func TestReadOutChunksMatchWhole(t *testing.T) {
	m, _ := tinyModel(t)
	x := tensor.New(3, 100, m.Config.HiddenDim)
	tensor.NewRNG(5).FillNormal(x.Data(), 0, 2)
	want, _ := diffuseq.ReadOut(x, m.WordEmbedding.Value, m.LMHeadBias.Value)
	got := readOut(x, m.WordEmbedding.Value, m.LMHeadBias.Value)
	if !slices.Equal(got, want) {
		t.Fatalf("chunked read-out differs:\n%v\n%v", got, want)
	}
}
