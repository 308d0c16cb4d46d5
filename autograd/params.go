package autograd

import "fmt"

// Params is an ordered parameter list: what an optimizer walks, what a
// checkpoint writes. Order is the model's registration order, so the
// optimizer state lines up from run to run.
type Params []*Var

// ZeroGrad clears every parameter gradient (call it once per optimizer
// step, after the last microbatch's Backward).
func (ps Params) ZeroGrad() {
	for _, p := range ps {
		p.ZeroGrad()
	}
}

// Count is the total number of scalar parameters.
func (ps Params) Count() int {
	n := 0
	for _, p := range ps {
		n += p.Value.Len()
	}
	return n
}

// Get returns the parameter called name, or nil.
func (ps Params) Get(name string) *Var {
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Check panics if a parameter is listed twice, has no name, or a name is
// used by two different Vars. A tied weight must appear once.
func (ps Params) Check() {
	seen := map[string]*Var{}
	vars := map[*Var]bool{}
	for _, p := range ps {
		if !p.param {
			panic(fmt.Sprintf("autograd.Params: %v is not a parameter", p))
		}
		if p.Name == "" {
			panic(fmt.Sprintf("autograd.Params: unnamed parameter of shape %v", p.Shape()))
		}
		if vars[p] {
			panic(fmt.Sprintf("autograd.Params: %q listed twice (list a tied weight once)", p.Name))
		}
		if q := seen[p.Name]; q != nil {
			panic(fmt.Sprintf("autograd.Params: name %q used by two parameters", p.Name))
		}
		seen[p.Name], vars[p] = p, true
	}
}
