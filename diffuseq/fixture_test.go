package diffuseq

import (
	"fmt"
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// The fixture (internal/fixture) holds tensors dumped from the official
// PyTorch DiffuSeq: T = 2000, sqrt schedule, d = 16, V = 50, B = 3,
// L = 12. See docs/diffusion-parity.md for what is compared and at which
// tolerance.

// fixtureDiffusion is the process of the fixture: 2000 steps, sqrt, no
// respacing, rescaled timesteps.
func fixtureDiffusion(t testing.TB) *Diffusion {
	t.Helper()
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// step returns slice i of a (N, …) tensor as its own tensor.
func step(x *tensor.Tensor, i int) *tensor.Tensor {
	return x.Slice(0, i, i+1).Reshape(x.Shape()[1:]...).Contiguous()
}

// relErr is |got − want| / max(|want|, floor).
func relErr(got, want, floor float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), floor)
}

// checkF64 compares float64 arrays element-wise with a relative tolerance.
func checkF64(t testing.TB, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	worst, at := 0.0, 0
	for i := range want {
		if e := relErr(got[i], want[i], 1e-300); e > worst || math.IsNaN(e) {
			worst, at = e, i
		}
	}
	t.Logf("%s: worst relative error %.3g (tolerance %.1g)", name, worst, tol)
	if !(worst <= tol) {
		t.Errorf("%s: worst relative error %.3g at %d (got %.17g want %.17g), tolerance %.1g", name, worst, at, got[at], want[at], tol)
	}
}

// checkF32 compares float32 values with |got − want| ≤ tol·max(|want|, floor):
// floor keeps values near zero from demanding an impossible relative
// accuracy (documented per quantity in docs/diffusion-parity.md).
func checkF32(t testing.TB, name string, got, want []float32, tol, floor float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	worst, at := 0.0, 0
	for i := range want {
		if e := relErr(float64(got[i]), float64(want[i]), floor); e > worst || math.IsNaN(e) {
			worst, at = e, i
		}
	}
	t.Logf("%s: worst error %.3g (tolerance %.1g, floor %g)", name, worst, tol, floor)
	if !(worst <= tol) {
		t.Errorf("%s: worst error %.3g at %d (got %.9g want %.9g), tolerance %.1g (floor %g)", name, worst, at, got[at], want[at], tol, floor)
	}
}

func checkInts(t testing.TB, name string, got, want []int) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %v\nwant %v", name, got, want)
	}
}
