package ops

import (
	"slices"

	"github.com/diffuseq-go/diffuseq/autograd"
	"github.com/diffuseq-go/diffuseq/tensor"
)

func init() {
	autograd.Register("where", "mask ? a : b element-wise, all three broadcast")
}

// condRepeat returns n > 0 when cond's shape cS is y's shape yS with its
// trailing dims set to 1 (DiffuSeq's (B, T, 1) mask on (B, T, C)), so that
// element i of y reads cond[i/n]; 0 otherwise.
func condRepeat(cS, yS []int) int {
	if len(cS) != len(yS) {
		return 0
	}
	k := len(yS)
	for k > 0 && cS[k-1] == 1 {
		k--
	}
	if !slices.Equal(cS[:k], yS[:k]) {
		return 0
	}
	return numel(yS[k:])
}

// whereFwd writes y = cond ≠ 0 ? a : b over yShape, operands broadcast.
// Full-shape branches with a row mask copy whole rows.
func whereFwd[F Float](y, a, b []F, cond []float32, yS, aS, bS, cS []int) {
	if n := condRepeat(cS, yS); n > 0 && slices.Equal(aS, yS) && slices.Equal(bS, yS) {
		forRows(len(cond), n, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				src := b
				if cond[r] != 0 {
					src = a
				}
				copy(y[r*n:(r+1)*n], src[r*n:(r+1)*n])
			}
		})
		return
	}
	walk(yS, bcastStrides(aS, yS), bcastStrides(bS, yS), bcastStrides(cS, yS), func(i, ia, ib, ic int) {
		if cond[ic] != 0 {
			y[i] = a[ia]
		} else {
			y[i] = b[ib]
		}
	})
}

// whereBwd accumulates the gradient of one branch: the upstream gradient
// where the branch was chosen (pick: cond ≠ 0 for a, cond = 0 for b),
// reduced to the branch's shape. tmp is scratch of y's size.
func whereBwd[F Float](g, gy []F, cond []float32, pick bool, gS, yS, cS []int, tmp []F) {
	if n := condRepeat(cS, yS); n > 0 && slices.Equal(gS, yS) {
		forRows(len(cond), n, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				if (cond[r] != 0) == pick {
					gr, gyr := g[r*n:(r+1)*n], gy[r*n:(r+1)*n]
					for j := range gr {
						gr[j] += gyr[j]
					}
				}
			}
		})
		return
	}
	walk(yS, bcastStrides(cS, yS), nil, nil, func(i, ic, _, _ int) {
		if (cond[ic] != 0) == pick {
			tmp[i] = gy[i]
		} else {
			tmp[i] = 0
		}
	})
	sumToShape(g, gS, tmp, yS, 1)
}

// Where returns cond ? a : b element-wise (torch.where(cond != 0, a, b)):
// cond is a constant mask; cond, a and b broadcast to a common shape, e.g.
// DiffuSeq's where(input_mask == 0, x_start, x_t) with a (B, T, 1) mask
// and (B, T, C) branches.
func Where(tp *autograd.Tape, cond *tensor.Tensor, a, b *autograd.Var) *autograd.Var {
	cond = cond.Contiguous()
	cS := cond.Shape()
	yS := broadcastShape("where", cS, a.Shape(), b.Shape())
	y := tp.Empty(yS...)
	cd := cond.Data()
	whereFwd(y.Data(), a.Data(), b.Data(), cd, yS, a.Shape(), b.Shape(), cS)
	return tp.Op("where", y, func(out *autograd.Var) {
		gy := out.Grad.Data()
		if ga := tp.Grad(a); ga != nil {
			whereBwd(ga, gy, cd, true, a.Shape(), yS, cS, tp.Empty(yS...).Data())
		}
		if gb := tp.Grad(b); gb != nil {
			whereBwd(gb, gy, cd, false, b.Shape(), yS, cS, tp.Empty(yS...).Data())
		}
	}, a, b)
}
