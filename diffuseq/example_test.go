package diffuseq_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/diffuseq"
)

// The paper's process: 2000 steps of the sqrt schedule, network time
// rescaled to 0..1000.
func ExampleNew() {
	d, err := diffuseq.New(diffuseq.DefaultConfig())
	if err != nil {
		panic(err)
	}
	fmt.Printf("K=%d β_0=%.6f ᾱ_1999=%.4g τ(1999)=%v\n", d.NumTimesteps, d.Betas[0], d.AlphasCumprod[1999], d.ModelTimestep(1999))
	// Output: K=2000 β_0=0.014641 ᾱ_1999=2.02e-07 τ(1999)=999.5
}

// A 10-step respaced process keeps these original steps; the network is
// fed the original index (rescaled).
func ExampleSpaceTimesteps() {
	keep, _ := diffuseq.SpaceTimesteps(2000, "10")
	fmt.Println(keep)
	cfg := diffuseq.DefaultConfig()
	cfg.TimestepRespacing = "10"
	d, _ := diffuseq.New(cfg)
	fmt.Println(d.NumTimesteps, d.ModelTimestep(9), d.ModelTimestep(1))
	// Output:
	// [0 222 444 666 888 1111 1333 1555 1777 1999]
	// 10 999.5 111
}
