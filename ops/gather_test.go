package ops

import (
	"math"
	"testing"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

var _ = addCheck("embedding", func(t *testing.T, rng *tensor.RNG) {
	V, C := randDim(rng, 5), randDim(rng, 4)
	B, T := randDim(rng, 3), 2+randDim(rng, 4)
	ids := make([]int, B*T)
	for i := range ids {
		ids[i] = rng.Intn(V) // repeats are likely: scatter-add must sum them
	}
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, V, C)},
		f64: func(x [][]float64) []float64 {
			y := make([]float64, B*T*C)
			embeddingFwd(y, x[0], ids, C)
			return y
		},
		b64:  func(x [][]float64, gy []float64, gx [][]float64) { embeddingBwd(gx[0], gy, ids, C) },
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return Embedding(tp, x[0], ids, B, T) },
	})
})

var _ = addCheck("cross_entropy", func(t *testing.T, rng *tensor.RNG) {
	rows, V := randDim(rng, 6), 2+randDim(rng, 7)
	targets := make([]int, rows)
	mask := make([]float32, rows)
	for i := range targets {
		targets[i] = rng.Intn(V)
		mask[i] = float32(rng.Intn(2))
	}
	mask[0] = 1
	for _, red := range []Reduction{ReduceNone, ReduceMean} {
		for _, m := range [][]float32{nil, mask} {
			var m64 []float64
			if m != nil {
				m64 = to64(m)
			}
			// A small scratch forces several row blocks.
			fwd := func(x []float64) (loss, lse []float64) {
				loss, lse = make([]float64, rows), make([]float64, rows)
				crossEntropyFwd(k64, loss, lse, x, targets, rows, V, make([]float64, 2*V))
				return
			}
			outLen := rows
			if red == ReduceMean {
				outLen = 1
			}
			checkCase(t, rng, gradCase{
				inputs: []*tensor.Tensor{randTensor(rng, rows, V)},
				f64: func(x [][]float64) []float64 {
					loss, _ := fwd(x[0])
					y := make([]float64, outLen)
					ceReduce(y, loss, m64, red)
					return y
				},
				b64: func(x [][]float64, gy []float64, gx [][]float64) {
					_, lse := fwd(x[0])
					g := make([]float64, rows)
					ceTokenGrad(g, gy, m64, red)
					crossEntropyBwd(k64, gx[0], g, lse, x[0], targets, rows, V, make([]float64, 3*V), false)
				},
				op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var {
					return CrossEntropy(tp, x[0], targets, m, red)
				},
			})
		}
	}
})

// Logits far apart must not overflow: the loss of the winning class is ~0
// and of a losing one is the gap.
// The backward's two paths agree: writing a fresh gradient (set) and
// adding into an existing one, at 1 and 2 threads and with masked rows.
func TestCrossEntropyBackwardSetMatchesAdd(t *testing.T) {
	rng := tensor.NewRNG(7)
	rows, V := 37, 301
	x, targets, g := make([]float32, rows*V), make([]int, rows), make([]float32, rows)
	rng.FillNormal(x, 0, 3)
	for r := range targets {
		targets[r], g[r] = rng.Intn(V), float32(rng.Intn(3))*0.5
	}
	loss, lse := make([]float32, rows), make([]float32, rows)
	crossEntropyFwd(k32, loss, lse, x, targets, rows, V, make([]float32, 5*V))
	for _, threads := range []int{1, 2} {
		withThreads(t, threads, func() {
			set, add := make([]float32, rows*V), make([]float32, rows*V)
			for i := range set {
				set[i] = float32(math.NaN()) // a fresh buffer holds anything
				add[i] = 0.25
			}
			crossEntropyBwd(k32, set, g, lse, x, targets, rows, V, make([]float32, 5*V), true)
			crossEntropyBwd(k32, add, g, lse, x, targets, rows, V, make([]float32, 5*V), false)
			for i := range set {
				if d := math.Abs(float64(set[i] + 0.25 - add[i])); !(d < 1e-6) {
					t.Fatalf("%d threads: element %d: set %v + 0.25 vs add %v", threads, i, set[i], add[i])
				}
			}
		})
	}
}

func TestCrossEntropyStable(t *testing.T) {
	tp := autograd.NewTape()
	x := autograd.NewConst(tensor.FromSlice([]float32{1000, 0, -1000, 0}, 2, 2))
	y := CrossEntropy(tp, x, []int{0, 0}, nil, ReduceNone).Data()
	if y[0] != 0 || y[1] != 1000 {
		t.Fatalf("losses %v, want [0 1000]", y)
	}
}

var _ = addCheck("mse", func(t *testing.T, rng *tensor.RNG) {
	shape := []int{randDim(rng, 3), randDim(rng, 3), randDim(rng, 4)}
	rows, n := shape[0], numel(shape[1:])
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, shape...), randTensor(rng, shape...)},
		f64: func(x [][]float64) []float64 {
			y := make([]float64, rows)
			mseFwd(y, x[0], x[1], rows, n)
			return y
		},
		b64: func(x [][]float64, gy []float64, gx [][]float64) {
			mseBwd(gx[0], gy, x[0], x[1], rows, n, 1)
			mseBwd(gx[1], gy, x[0], x[1], rows, n, -1)
		},
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return MSE(tp, x[0], x[1]) },
	})
})

func whereCheck(t *testing.T, rng *tensor.RNG, aS, bS, yS []int) {
	cS := append([]int(nil), yS...)
	cS[len(cS)-1] = 1 // the mask repeats along the last dim, as DiffuSeq's (B, T, 1)
	cond := tensor.New(cS...)
	for i := range cond.Data() {
		cond.Data()[i] = float32(rng.Intn(2))
	}
	cd := cond.Data()
	checkCase(t, rng, gradCase{
		inputs: []*tensor.Tensor{randTensor(rng, aS...), randTensor(rng, bS...)},
		f64: func(x [][]float64) []float64 {
			y := make([]float64, numel(yS))
			whereFwd(y, x[0], x[1], cd, yS, aS, bS, cS)
			return y
		},
		b64: func(x [][]float64, gy []float64, gx [][]float64) {
			whereBwd(gx[0], gy, cd, true, aS, yS, cS, make([]float64, len(gy)))
			whereBwd(gx[1], gy, cd, false, bS, yS, cS, make([]float64, len(gy)))
		},
		op32: func(tp *autograd.Tape, x []*autograd.Var) *autograd.Var { return Where(tp, cond, x[0], x[1]) },
	})
}

var _ = addCheck("where", func(t *testing.T, rng *tensor.RNG) {
	aS, bS, yS := broadcastPair(rng)
	whereCheck(t, rng, aS, bS, yS) // broadcast branches: the strided walk
	full := []int{randDim(rng, 3), randDim(rng, 3), randDim(rng, 4)}
	whereCheck(t, rng, full, full, full) // full branches: the row fast path
})

// Where's row fast path (full branches, (B, T, 1) mask) matches the walk.
func TestWhereRowFastPath(t *testing.T) {
	rng := tensor.NewRNG(2)
	yS, cS := []int{3, 4, 5}, []int{3, 4, 1}
	a, b, gy := randTensor(rng, yS...).Data(), randTensor(rng, yS...).Data(), randTensor(rng, yS...).Data()
	cond := make([]float32, 12)
	for i := range cond {
		cond[i] = float32(rng.Intn(2))
	}
	y := make([]float32, 60)
	whereFwd(y, a, b, cond, yS, yS, yS, cS)
	ga, gb := make([]float32, 60), make([]float32, 60)
	whereBwd(ga, gy, cond, true, yS, yS, cS, nil)
	whereBwd(gb, gy, cond, false, yS, yS, cS, nil)
	for i := range y {
		want, wa, wb := b[i], float32(0), gy[i]
		if cond[i/5] != 0 {
			want, wa, wb = a[i], gy[i], 0
		}
		if y[i] != want || ga[i] != wa || gb[i] != wb {
			t.Fatalf("element %d: y %v ga %v gb %v, want %v %v %v", i, y[i], ga[i], gb[i], want, wa, wb)
		}
	}
	if condRepeat([]int{3, 1, 5}, yS) != 0 || condRepeat(cS, yS) != 5 || condRepeat(yS, yS) != 1 || condRepeat([]int{3, 1, 1}, yS) != 20 {
		t.Fatal("condRepeat")
	}
}
