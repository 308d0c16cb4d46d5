package model

import (
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// A no-grad forward hands each layer's temporaries back to the tape
// (Tape.Mark/Collect); it must give exactly the values of a forward with
// gradients on, also on the second step when the recycled buffers hold
// stale data, and hold a smaller arena.
func TestNoGradForwardRecyclesLayers(t *testing.T) {
	c := Config{VocabSize: 50, HiddenDim: 8, HiddenTDim: 8, HiddenSize: 16, Layers: 3, Heads: 2, Intermediate: 64,
		MaxPositions: 32, Dropout: 0.1, AttnDropout: 0.1, LayerNormEps: 1e-12, SeqLen: 6}
	m, err := New(c, 3)
	if err != nil {
		t.Fatal(err)
	}
	x := tensor.New(2, 6, 8)
	tensor.NewRNG(5).FillNormal(x.Data(), 0, 1)
	tau := []float32{10, 700}

	withGrad := autograd.NewTape()
	want := m.Forward(withGrad, withGrad.Const(x), tau, false).Data()

	tp := autograd.NewTape()
	tp.SetGrad(false)
	for step := range 2 {
		tp.Reset()
		got := m.Forward(tp, tp.Const(x), tau, false).Data()
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("step %d: element %d: no-grad %v, with grad %v", step, i, got[i], want[i])
			}
		}
	}
	if tp.Bytes() >= withGrad.Bytes() {
		t.Fatalf("no-grad arena %d bytes, not below the grad-mode %d", tp.Bytes(), withGrad.Bytes())
	}
}
