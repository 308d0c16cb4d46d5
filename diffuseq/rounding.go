package diffuseq

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/asm"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// Rounder snaps vectors to their nearest word embedding (reference 3.8,
// denoised_fn_round). It keeps a frozen copy of E and the squared row
// norms ‖E_k‖², computed once.
type Rounder struct {
	emb     []float32 // (V, d) row-major, frozen copy of E
	embNorm []float32 // (V) ‖E_k‖², float32 sums as the reference
	v, d    int
}

// Tile sizes of the fused distance + argmin: positions are processed in
// blocks of roundRows against vocabulary chunks of roundCols, so only a
// roundRows×roundCols tile of dot products (2 MiB) exists at a time instead
// of the (B·L)×V distance matrix. Each tile is one asm.Sgemm call, which
// spreads itself over the worker pool; the argmin update that follows is
// split over rows. (asm.Sgemm must not be called from inside parallel.For:
// the pool does not nest.)
const (
	roundRows = 512
	roundCols = 1024
)

// NewRounder copies E (V, d).
func NewRounder(emb *tensor.Tensor) *Rounder {
	if emb.Rank() != 2 {
		panic(fmt.Sprintf("diffuseq.NewRounder: want E of shape (V, d), got %v", emb.Shape()))
	}
	r := &Rounder{emb: emb.Values(), v: emb.Dim(0), d: emb.Dim(1)}
	r.embNorm = make([]float32, r.v)
	for k := range r.v {
		row := r.emb[k*r.d : (k+1)*r.d]
		r.embNorm[k] = asm.Dot(row, row)
	}
	return r
}

// Nearest returns, for every d-vector of x (…, d), the index of the
// nearest embedding under the reference's float32 formula
//
//	dist_k(v) = max(0, (‖E_k‖² + ‖v‖²) − 2·E_k·v)
//
// taking the lowest index on ties (torch.topk(−dist, 1)). The products
// use asm.Sgemm's own threading and the argmin is split over positions;
// neither splits a reduction, so the result does not depend on the
// thread count.
func (r *Rounder) Nearest(x *tensor.Tensor) []int {
	if x.Rank() < 1 || x.Dim(-1) != r.d {
		panic(fmt.Sprintf("diffuseq.Rounder.Nearest: last dimension of %v is not d = %d", x.Shape(), r.d))
	}
	src := x.Contiguous().Data()
	n := len(src) / r.d
	ids := make([]int, n)
	rowsMax := min(roundRows, n)
	tile := make([]float32, rowsMax*roundCols)
	best := make([]float32, rowsMax)
	norm := make([]float32, rowsMax)
	for p0 := 0; p0 < n; p0 += roundRows {
		rows := min(roundRows, n-p0)
		xs := src[p0*r.d : (p0+rows)*r.d]
		for i := range rows {
			row := xs[i*r.d : (i+1)*r.d]
			norm[i] = asm.Dot(row, row)
			ids[p0+i] = -1
		}
		for c0 := 0; c0 < r.v; c0 += roundCols {
			cols := min(roundCols, r.v-c0)
			// tile[i][c] = x_i · E_{c0+c}
			asm.Sgemm(false, true, rows, cols, r.d, 1, xs, r.d, r.emb[c0*r.d:], r.d, 0, tile, roundCols)
			parallel.For(rows, 4, func(lo, hi int) {
				en := r.embNorm[c0 : c0+cols]
				for i := lo; i < hi; i++ {
					// torch: (emb_norm + arr_norm) − 2·mm, clamped at 0; the
					// lowest index on ties. A later chunk wins only when
					// strictly closer, so the first index stays first.
					c, dist := asm.ArgMinDist(tile[i*roundCols:i*roundCols+cols], en, norm[i])
					if c >= 0 && (ids[p0+i] < 0 || dist < best[i]) {
						ids[p0+i], best[i] = c0+c, dist
					}
				}
			})
		}
		for i := range rows {
			if ids[p0+i] < 0 { // every distance NaN or +Inf: nothing to choose, index 0
				ids[p0+i] = 0
			}
		}
	}
	return ids
}

// Round replaces every d-vector of x by its nearest embedding E_{k*} and
// returns the new tensor (x's shape) and the chosen ids (one per vector).
func (r *Rounder) Round(x *tensor.Tensor) (*tensor.Tensor, []int) {
	ids := r.Nearest(x)
	out := tensor.New(x.Shape()...)
	dst := out.Data()
	for i, k := range ids {
		copy(dst[i*r.d:(i+1)*r.d], r.emb[k*r.d:(k+1)*r.d])
	}
	return out, ids
}

// DenoisedFnMasked is DenoisedFn rounding only the positions with
// mask = 1 (B·L, row-major); the others keep the prediction. Every sampler
// here works position by position and re-imposes the source (mask = 0)
// after each step, so what the source positions' x̂_0 is never reaches the
// result: skipping them halves the distance product of a typical batch
// without changing any sample (decode_fixture_test and the generate
// parity tests compare the final tokens with the reference's).
func (r *Rounder) DenoisedFnMasked(mask []int) DenoisedFn {
	return func(xStart *tensor.Tensor, _ []int) *tensor.Tensor {
		src := xStart.Contiguous().Data()
		n := len(src) / r.d
		if len(mask) != n {
			panic(fmt.Sprintf("diffuseq.Rounder.DenoisedFnMasked: mask of %d for %d positions", len(mask), n))
		}
		var rows []int // positions to round
		for i, m := range mask {
			if m != 0 {
				rows = append(rows, i)
			}
		}
		sub := tensor.New(len(rows), r.d)
		sd := sub.Data()
		for j, i := range rows {
			copy(sd[j*r.d:(j+1)*r.d], src[i*r.d:(i+1)*r.d])
		}
		ids := r.Nearest(sub)
		out := tensor.New(xStart.Shape()...)
		dst := out.Data()
		copy(dst, src)
		for j, i := range rows {
			copy(dst[i*r.d:(i+1)*r.d], r.emb[ids[j]*r.d:(ids[j]+1)*r.d])
		}
		return out
	}
}

// DenoisedFn adapts Round to the DenoisedFn signature of the samplers
// (the reference ignores t here too).
func (r *Rounder) DenoisedFn() DenoisedFn {
	return func(xStart *tensor.Tensor, _ []int) *tensor.Tensor {
		out, _ := r.Round(xStart)
		return out
	}
}

// Embed gathers E[ids] into a (B, L, d) tensor: the reference's
// get_embeds, used for x_start at decoding and for the source re-imposed
// at every step. ids is (B, L) row-major.
func (r *Rounder) Embed(ids []int, b, l int) *tensor.Tensor {
	if len(ids) != b*l {
		panic(fmt.Sprintf("diffuseq.Rounder.Embed: %d ids for (B, L) = (%d, %d)", len(ids), b, l))
	}
	out := tensor.New(b, l, r.d)
	dst := out.Data()
	for i, k := range ids {
		if k < 0 || k >= r.v {
			panic(fmt.Sprintf("diffuseq.Rounder.Embed: token id %d outside the vocabulary [0, %d)", k, r.v))
		}
		copy(dst[i*r.d:(i+1)*r.d], r.emb[k*r.d:(k+1)*r.d])
	}
	return out
}
