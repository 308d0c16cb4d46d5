package optim

import "fmt"

// Param is one trainable tensor seen as flat slices. Value and Grad alias the
// model's memory: Step updates Value in place and clipping scales Grad in
// place, exactly like the reference's in-place torch ops.
type Param struct {
	Name  string
	Value []float32 // θ, flattened in the tensor's row-major order
	Grad  []float32 // ∂L/∂θ summed over the microbatches of this step
}

// checkParams rejects empty or duplicate names and value/grad length
// mismatches: these are programming errors in the caller's wiring, but New
// reports them as errors because they usually come from a checkpoint or a
// model config.
func checkParams(params []Param) error {
	seen := make(map[string]bool, len(params))
	for i, p := range params {
		if p.Name == "" {
			return fmt.Errorf("optim: parameter %d has an empty name", i)
		}
		if seen[p.Name] {
			return fmt.Errorf("optim: parameter %q appears twice", p.Name)
		}
		seen[p.Name] = true
		if len(p.Value) != len(p.Grad) {
			return fmt.Errorf("optim: parameter %q has %d values but %d gradients", p.Name, len(p.Value), len(p.Grad))
		}
	}
	return nil
}

// ZeroGrad sets every gradient to zero, as the reference does before the
// first microbatch of each step (gradients then accumulate by summation).
func ZeroGrad(params []Param) {
	for _, p := range params {
		clear(p.Grad)
	}
}
