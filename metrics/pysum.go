package metrics

import (
	"math"
	"math/big"
)

// Fsum returns the correctly rounded sum of xs, like Python's math.fsum,
// which NLTK uses to add the weighted log precisions. The partial sums are
// kept exactly in a big.Float wide enough for any float64 (exponents span
// about 2100 bits), so the only rounding is the final one to nearest-even.
func Fsum(xs []float64) float64 {
	acc := new(big.Float).SetPrec(2200)
	var x big.Float
	for _, v := range xs {
		acc.Add(acc, x.SetFloat64(v))
	}
	f, _ := acc.Float64()
	return f
}

// PairwiseSum adds xs in the order NumPy's float64 add.reduce does
// (np.sum, np.mean): blocks of fewer than 8 values are added left to
// right; blocks of up to 128 are added with 8 interleaved accumulators
// combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) followed by the leftover
// tail; longer arrays are split in two at a multiple of 8 and recursed.
// The reference averages its per-line scores with np.mean and selects the
// MBR candidate with np.argmax(np.sum(...)), so the same order is used here
// to reproduce its values and ties to the last bit.
func PairwiseSum(xs []float64) float64 {
	n := len(xs)
	switch {
	case n < 8:
		s := math.Copysign(0, -1) // NumPy starts at -0.0 so that a sum of -0.0 stays -0.0
		for _, v := range xs {
			s += v
		}
		return s
	case n <= 128:
		var r [8]float64
		copy(r[:], xs[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] += xs[i+j]
			}
		}
		s := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += xs[i]
		}
		return s
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return PairwiseSum(xs[:n2]) + PairwiseSum(xs[n2:])
	}
}

// Mean is np.mean(xs): PairwiseSum divided by the length. The mean of no
// values is NaN, as in NumPy.
func Mean(xs []float64) float64 {
	return PairwiseSum(xs) / float64(len(xs))
}

// PySum adds xs like Python 3.12+'s built-in sum() on floats, which
// sacrebleu uses for its log precisions: the first value is taken exactly,
// the rest are added with Neumaier's compensated summation, and the
// compensation is added once at the end (if non-zero and finite). Python
// before 3.12 added left to right; the fixture values in
// ../shared/fixtures/metrics.json come from the newer behaviour.
func PySum(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	// Python starts from the int 0: 0 + xs[0] is xs[0] except that -0.0 becomes 0.0.
	sum, c := 0+xs[0], 0.0
	for _, x := range xs[1:] {
		t := sum + x
		if math.Abs(sum) >= math.Abs(x) {
			c += (sum - t) + x
		} else {
			c += (x - t) + sum
		}
		sum = t
	}
	if c != 0 && !math.IsInf(c, 0) && !math.IsNaN(c) {
		sum += c
	}
	return sum
}
