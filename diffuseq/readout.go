package diffuseq

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/asm"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// Logits is the tied lm_head (reference 2.5, logits_mode 1):
//
//	logits[n, k] = h_n · E_k + bias_k
//
// h: (…, d), emb E: (V, d), bias: (V) or nil → (…, V).
func Logits(h, emb, bias *tensor.Tensor) *tensor.Tensor {
	if emb.Rank() != 2 || h.Rank() < 1 || h.Dim(-1) != emb.Dim(1) {
		panic(fmt.Sprintf("diffuseq.Logits: h %v against E %v", h.Shape(), emb.Shape()))
	}
	v, d := emb.Dim(0), emb.Dim(1)
	if bias != nil && (bias.Rank() != 1 || bias.Dim(0) != v) {
		panic(fmt.Sprintf("diffuseq.Logits: bias %v for V = %d", bias.Shape(), v))
	}
	x, e := h.Contiguous().Data(), emb.Contiguous().Data()
	n := len(x) / d
	shape := append(append([]int(nil), h.Shape()[:h.Rank()-1]...), v)
	out := tensor.New(shape...)
	z := out.Data()
	var b []float32
	if bias != nil {
		b = bias.Contiguous().Data()
	}
	// One product (asm.Sgemm spreads itself over the pool), then the bias
	// by rows; the two must not nest.
	asm.Sgemm(false, true, n, v, d, 1, x, d, e, d, 0, z, v)
	if b != nil {
		parallel.For(n, 64, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				asm.Add(z[i*v:(i+1)*v], z[i*v:(i+1)*v], b)
			}
		})
	}
	return out
}

// Argmax returns the index of the largest value of every row of x (…, V),
// the lowest index on ties (torch.topk k=1). NaN never wins.
func Argmax(x *tensor.Tensor) []int {
	v := x.Dim(-1)
	z := x.Contiguous().Data()
	n := len(z) / v
	ids := make([]int, n)
	for i := range n {
		row := z[i*v : (i+1)*v]
		best := 0
		for k := 1; k < v; k++ {
			if row[k] > row[best] || (row[best] != row[best] && row[k] == row[k]) {
				best = k
			}
		}
		ids[i] = best
	}
	return ids
}

// ReadOut is the reference's final token read-out (3.11): tokens =
// argmax_k (x·E_k + bias_k) per position — the dot-product head with bias,
// not the nearest-neighbour rounding. x: (B, L, d) → ids (B, L) row-major
// and the logits (B, L, V).
func ReadOut(x, emb, bias *tensor.Tensor) ([]int, *tensor.Tensor) {
	logits := Logits(x, emb, bias)
	return Argmax(logits), logits
}
