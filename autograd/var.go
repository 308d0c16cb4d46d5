package autograd

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// Var is a value in the computation plus, once backward has reached it,
// the gradient of the loss with respect to it. Value and Grad always have
// the same shape and are contiguous.
//
// There are three kinds of Var:
//   - parameters (NewParam): named, long-lived, own their Grad, which
//     accumulates across Backward calls until ZeroGrad;
//   - constants (NewConst, Tape.Const): inputs such as noisy embeddings or
//     masks that never need a gradient;
//   - op results (made by the ops package through Tape.Op): they live in
//     the tape's arena and are valid only until the tape's next Reset.
type Var struct {
	Value *tensor.Tensor
	Grad  *tensor.Tensor // nil until a gradient flows into the Var
	Name  string         // a parameter's state_dict key; the op name for results

	needsGrad bool // a gradient must be computed for this Var
	param     bool // a parameter: Grad is owned, not from the tape arena

	uses        int  // ops recorded with this Var as an input (Tape.Op)
	outUnread   bool // its producer's backward never reads the value (Tape.OpOutputUnread)
	overwritten bool // claimed by an in-place consumer (Tape.Overwrite)
}

// NewParam wraps value (made contiguous) as a trainable parameter called
// name (use the PyTorch state_dict key, e.g. "word_embedding.weight"). Its
// Grad is allocated now, zeroed, and only ever accumulated into.
func NewParam(name string, value *tensor.Tensor) *Var {
	v := value.Contiguous()
	return &Var{Value: v, Grad: tensor.New(v.Shape()...), Name: name, needsGrad: true, param: true}
}

// NewConst wraps value (made contiguous) as a constant: ops read it but no
// gradient is computed for it.
func NewConst(value *tensor.Tensor) *Var {
	return &Var{Value: value.Contiguous()}
}

// RequiresGrad reports whether backward computes a gradient for v.
func (v *Var) RequiresGrad() bool { return v.needsGrad }

// IsParam reports whether v was made by NewParam.
func (v *Var) IsParam() bool { return v.param }

// SetRequiresGrad freezes (false) or unfreezes (true) a parameter. Only
// parameters may change: a result's need for a gradient follows from its
// inputs.
func (v *Var) SetRequiresGrad(on bool) {
	if !v.param {
		panic(fmt.Sprintf("autograd.SetRequiresGrad: %q is not a parameter", v.Name))
	}
	v.needsGrad = on
}

// Shape is the shape of v's value (do not modify).
func (v *Var) Shape() []int { return v.Value.Shape() }

// Data is v's value as a flat slice (writes go through).
func (v *Var) Data() []float32 { return v.Value.Data() }

// Item returns the single element of a one-element Var (a loss).
func (v *Var) Item() float32 {
	if v.Value.Len() != 1 {
		panic(fmt.Sprintf("autograd.Item: %q has shape %v, not one element", v.Name, v.Shape()))
	}
	return v.Value.Data()[0]
}

// ZeroGrad clears an owned gradient (parameters). For tape results it is a
// no-op: their gradients are dropped by Tape.Reset.
func (v *Var) ZeroGrad() {
	if v.param && v.Grad != nil {
		clear(v.Grad.Data())
	}
}

func (v *Var) String() string {
	return fmt.Sprintf("Var(%s %v)", v.Name, v.Shape())
}
