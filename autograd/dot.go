package autograd

import (
	"fmt"
	"io"
)

// WriteDot writes the recorded graph in Graphviz dot format: one node per
// record (op name and output shape), parameters as boxes, an edge from
// every input to the op that read it. Render with `dot -Tsvg`.
func (tp *Tape) WriteDot(w io.Writer) error {
	ids := map[*Var]string{}
	name := func(v *Var) string {
		if id, ok := ids[v]; ok {
			return id
		}
		id := fmt.Sprintf("v%d", len(ids))
		ids[v] = id
		return id
	}
	if _, err := fmt.Fprintln(w, "digraph tape {\n\trankdir=BT;"); err != nil {
		return err
	}
	declared := map[*Var]bool{}
	for _, r := range tp.recs[:tp.nrec] {
		for _, in := range r.inputs {
			if declared[in] {
				continue
			}
			declared[in] = true
			if in.param {
				fmt.Fprintf(w, "\t%s [shape=box,label=%q];\n", name(in), fmt.Sprintf("%s %v", in.Name, in.Shape()))
			} else if !in.needsGrad {
				fmt.Fprintf(w, "\t%s [shape=plaintext,label=%q];\n", name(in), fmt.Sprintf("const %v", in.Shape()))
			}
		}
		declared[r.out] = true
		fmt.Fprintf(w, "\t%s [label=%q];\n", name(r.out), fmt.Sprintf("%s %v", r.op, r.out.Shape()))
		for _, in := range r.inputs {
			fmt.Fprintf(w, "\t%s -> %s;\n", name(in), name(r.out))
		}
	}
	_, err := fmt.Fprintln(w, "}")
	return err
}
