package ops

import (
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// Every shape mistake panics with a message that names the op and shows
// the offending shapes (or ids), never an index-out-of-range trace.
func TestShapeErrorsNameOpAndShapes(t *testing.T) {
	v := func(shape ...int) *autograd.Var { return autograd.NewConst(tensor.New(shape...)) }
	cases := []struct {
		want string // prefix and a fragment that must appear
		frag string
		f    func(tp *autograd.Tape)
	}{
		{"ops.add:", "[2 3] [4]", func(tp *autograd.Tape) { Add(tp, v(2, 3), v(4)) }},
		{"ops.mul:", "[2 3] [2]", func(tp *autograd.Tape) { Mul(tp, v(2, 3), v(2)) }},
		{"ops.linear:", "weight [4 5]", func(tp *autograd.Tape) { Linear(tp, v(2, 3), v(4, 5), nil) }},
		{"ops.linear:", "bias [3]", func(tp *autograd.Tape) { Linear(tp, v(2, 5), v(4, 5), v(3)) }},
		{"ops.matmul:", "inner dimensions 3 and 4", func(tp *autograd.Tape) { MatMul(tp, v(2, 3), v(4, 5), false, false) }},
		{"ops.batched_matmul:", "[2 2 3] and [3 3 4]", func(tp *autograd.Tape) { BatchedMatMul(tp, v(2, 2, 3), v(3, 3, 4), false, false) }},
		{"ops.layernorm:", "gamma [4]", func(tp *autograd.Tape) { LayerNorm(tp, v(2, 3), v(4), v(3), 1e-5) }},
		{"ops.softmax:", "scalar", func(tp *autograd.Tape) { Softmax(tp, v()) }},
		{"ops.attention:", "q [2 3 5]", func(tp *autograd.Tape) { Attention(tp, v(2, 3, 5), v(2, 3, 5), v(2, 3, 5), AttentionOpts{Heads: 2}) }},
		{"ops.embedding:", "id 7 at position 1", func(tp *autograd.Tape) { Embedding(tp, v(5, 2), []int{0, 7}) }},
		{"ops.embedding:", "3 ids for shape [2 2]", func(tp *autograd.Tape) { Embedding(tp, v(5, 2), []int{0, 1, 2}, 2, 2) }},
		{"ops.cross_entropy:", "target 9 at row 0", func(tp *autograd.Tape) { CrossEntropy(tp, v(2, 4), []int{9, 0}, nil, ReduceNone) }},
		{"ops.cross_entropy:", "logits [2 4] (2 rows) with 3 targets", func(tp *autograd.Tape) { CrossEntropy(tp, v(2, 4), []int{0, 0, 0}, nil, ReduceMean) }},
		{"ops.mse:", "pred [2 3] and target [3 2]", func(tp *autograd.Tape) { MSE(tp, v(2, 3), v(3, 2)) }},
		{"ops.where:", "[2 3] [4]", func(tp *autograd.Tape) { Where(tp, tensor.New(2, 3), v(4), v(1)) }},
		{"ops.sum:", "keep=3", func(tp *autograd.Tape) { Sum(tp, v(2, 3), 3) }},
		{"ops.permute:", "axes [0 0]", func(tp *autograd.Tape) { Permute(tp, v(2, 3), 0, 0) }},
		{"ops.slice:", "[1:4] on axis 1 of [2 3]", func(tp *autograd.Tape) { Slice(tp, v(2, 3), 1, 1, 4) }},
		{"ops.concat:", "[[2 3] [3 3]] differ off axis 1", func(tp *autograd.Tape) { Concat(tp, 1, v(2, 3), v(3, 3)) }},
		{"ops.dropout:", "outside [0, 1)", func(tp *autograd.Tape) { Dropout(tp, v(2), Drop{P: 1, RNG: tensor.NewRNG(1), Train: true}) }},
		{"tensor.Reshape:", "[5]", func(tp *autograd.Tape) { Reshape(tp, v(2, 3), 5) }},
	}
	for _, c := range cases {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, c.want) || !strings.Contains(msg, c.frag) {
					t.Errorf("panic %q, want prefix %q containing %q", msg, c.want, c.frag)
				}
			}()
			c.f(autograd.NewTape())
		}()
	}
}
