package runlog_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/runlog"
)

// Per microbatch the loop adds each term's per-example (importance-weighted)
// values with their timesteps; at a dump it turns the interval into a row.
func ExampleInterval() {
	iv := runlog.NewInterval(2000)
	iv.Loss.Add([]int{10, 900, 1999}, []float64{0.2, 0.6, 1.0})
	iv.AddGradNorm(0.41)
	r := iv.Row("train")
	fmt.Printf("loss %.2f q0 %.2f q1 %.2f q2 %v q3 %.2f grad_norm %.2f\n",
		r.Loss, r.LossQ[0], r.LossQ[1], r.LossQ[2], r.LossQ[3], r.GradNorm)
	// Output: loss 0.60 q0 0.20 q1 0.60 q2 NaN q3 1.00 grad_norm 0.41
}
