package ops

import (
	"fmt"
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
)

func init() {
	autograd.Register("embedding", "row gather from a (V, C) table by int ids, scatter-add backward")
}

// embeddingFwd gathers y[i] = table[ids[i]] for C-wide rows.
func embeddingFwd[F Float](y, table []F, ids []int, C int) {
	forRows(len(ids), C, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			copy(y[i*C:(i+1)*C], table[ids[i]*C:(ids[i]+1)*C])
		}
	})
}

// embeddingBwd scatter-adds gtable[ids[i]] += gy[i]. A repeated id gets
// the sum of its rows' gradients. Workers split the C columns, so no two
// write the same element and every sum runs in token order.
func embeddingBwd[F Float](gtable, gy []F, ids []int, C int) {
	forRows(C, len(ids), func(lo, hi int) {
		for i, id := range ids {
			g, d := gy[i*C+lo:i*C+hi], gtable[id*C+lo:id*C+hi]
			for j := range d {
				d[j] += g[j]
			}
		}
	})
}

// Embedding looks up rows of table (V, C) for the token ids, giving
// (idShape..., C); with no idShape the result is (len(ids), C). The
// gradient scatter-adds into the table, so a table also used as the
// lm_head weight (Linear(h, table, bias)) collects both contributions.
// An id outside [0, V) panics.
func Embedding(tp *autograd.Tape, table *autograd.Var, ids []int, idShape ...int) *autograd.Var {
	ts := table.Shape()
	if len(ts) != 2 {
		panic(fmt.Sprintf("ops.embedding: table %v, want (V, C)", ts))
	}
	if len(idShape) == 0 {
		idShape = []int{len(ids)}
	}
	if numel(idShape) != len(ids) {
		panic(fmt.Sprintf("ops.embedding: %d ids for shape %v", len(ids), idShape))
	}
	V, C := ts[0], ts[1]
	for i, id := range ids {
		if id < 0 || id >= V {
			panic(fmt.Sprintf("ops.embedding: id %d at position %d outside the table %v", id, i, ts))
		}
	}
	y := tp.Empty(append(slices.Clone(idShape), C)...)
	embeddingFwd(y.Data(), table.Data(), ids, C)
	return tp.Op("embedding", y, func(out *autograd.Var) {
		if gt := tp.Grad(table); gt != nil {
			embeddingBwd(gt, out.Grad.Data(), ids, C)
		}
	}, table)
}
