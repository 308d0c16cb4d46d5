package metrics

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// SelectMBR returns the index of the candidate the eval script's
// selectBest keeps (minimum Bayes risk with negative BLEU as the loss):
// the first maximum over a of Σ_{b≠a} BLEU(hyp = candidates[a],
// ref = candidates[b]). The reference never enters the choice. Row sums
// use NumPy's order with a 0 on the diagonal (np.sum of the BLEU matrix
// whose diagonal was zeroed), so exact ties and near-ties break as in the
// reference. It panics on an empty list.
func SelectMBR(candidates []string) int {
	if len(candidates) == 0 {
		panic("metrics.SelectMBR: no candidates")
	}
	ps := profilesOf(candidates)
	best, bestScore := 0, 0.0
	row := make([]float64, len(ps))
	for a := range ps {
		for b := range ps {
			row[b] = 0
			if b != a {
				row[b] = sentenceBLEU(ps[a], ps[b:b+1])
			}
		}
		// np.argmax returns the first maximum (NaN cannot occur: BLEU is finite).
		if s := PairwiseSum(row); a == 0 || s > bestScore {
			best, bestScore = a, s
		}
	}
	return best
}

// MBR selects one output per line with SelectMBR. seeds[k][i] is line i
// of the k-th decode file (all cleaned, all of the same length). The
// result pairs each selected output with the reference and source of the
// first file, as the reference does, and records which file it came from.
func MBR(seeds [][]Example) (selected []Example, from []int) {
	if len(seeds) == 0 {
		return nil, nil
	}
	n := len(seeds[0])
	for k, s := range seeds {
		if len(s) != n {
			panic(fmt.Sprintf("metrics.MBR: file %d has %d lines, file 0 has %d", k, len(s), n))
		}
	}
	selected, from = make([]Example, n), make([]int, n)
	parallel.For(n, 16, func(lo, hi int) {
		cands := make([]string, len(seeds))
		for i := lo; i < hi; i++ {
			for k := range seeds {
				cands[k] = seeds[k][i].Recover
			}
			k := SelectMBR(cands)
			selected[i] = Example{Source: seeds[0][i].Source, Reference: seeds[0][i].Reference, Recover: cands[k]}
			from[i] = k
		}
	})
	return selected, from
}
