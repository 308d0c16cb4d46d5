package generate

import (
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// readOutRows bounds the logits held at once by readOut: 256 positions ×
// V (a 30k BERT vocabulary: 31 MB instead of B·L·V, 780 MB for a batch of
// 50 × 128).
const readOutRows = 256

// readOut is diffuseq.ReadOut (argmax_k x·E_k + b_k per position, the
// reference's final read-out 3.11) computed over chunks of positions, so
// that tracing every step of a large batch does not materialise the
// (B, L, V) logits. x: (B, L, d) → ids (B·L).
func readOut(x, emb, bias *tensor.Tensor) []int {
	n, d := x.Dim(0)*x.Dim(1), x.Dim(2)
	flat := x.Contiguous().Reshape(n, d) // (B·L, d)
	ids := make([]int, 0, n)
	for lo := 0; lo < n; lo += readOutRows {
		chunk, _ := diffuseq.ReadOut(flat.Slice(0, lo, min(lo+readOutRows, n)), emb, bias)
		ids = append(ids, chunk...)
	}
	return ids
}
