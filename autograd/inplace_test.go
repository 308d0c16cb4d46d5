package autograd_test

import (
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/ops"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// Overwrite agrees only for an unread result whose producer never reads
// it, once, and a later use of the overwritten Var panics.
func TestOverwrite(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3))
	x := tp.Const(tensor.FromSlice([]float32{1, -1, 2}, 1, 3))
	if tp.Overwrite(w) || tp.Overwrite(x) {
		t.Fatal("a parameter or a constant was offered for overwriting")
	}
	if th := ops.Tanh(tp, w); tp.Overwrite(th) {
		t.Fatal("tanh's backward reads its result, yet it was offered for overwriting")
	}
	read := ops.Linear(tp, x, w, nil)
	ops.Scale(tp, read, 2)
	if tp.Overwrite(read) {
		t.Fatal("a result already read by an op was offered for overwriting")
	}
	y := ops.Linear(tp, x, w, nil)
	if !tp.Overwrite(y) {
		t.Fatal("an unread Linear result was refused")
	}
	if tp.Overwrite(y) {
		t.Fatal("the same result was claimed twice")
	}
	ops.Scale(tp, y, 1) // the claiming op
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "overwritten") {
			t.Fatalf("use after overwrite: recovered %v", r)
		}
	}()
	ops.Scale(tp, y, 1)
}

// After Reset the pooled Vars lose the claim.
func TestOverwriteResets(t *testing.T) {
	tp := autograd.NewTape()
	w := autograd.NewParam("w", tensor.FromSlice([]float32{1, 2}, 1, 2))
	x := tp.Const(tensor.FromSlice([]float32{1, 1}, 1, 2))
	for range 3 {
		tp.Reset()
		x = tp.Const(x.Value)
		y := ops.Linear(tp, x, w, nil)
		if !tp.Overwrite(y) {
			t.Fatal("refused after Reset")
		}
		ops.Scale(tp, y, 1)
	}
}
