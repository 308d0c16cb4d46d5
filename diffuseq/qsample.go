package diffuseq

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// QSample draws x_t from q(x_t | x_0) with partial noising (reference 3.4):
//
//	x_t[b,j] = √ᾱ_{t_b}·x_0[b,j] + √(1−ᾱ_{t_b})·ε[b,j]   where mask[b,j] = 1
//	x_t[b,j] = x_0[b,j]                                  where mask[b,j] = 0
//
// The source (mask 0, the conditioning) is never noised. The coefficients
// are cast to float32 and the two products are rounded separately, as in
// the reference's float32 tensor arithmetic. noise is the injected ε; mask
// may be nil (noise everywhere).
//
//	xStart, noise: (B, L, d); t: (B); mask: (B, L) row-major, 0 or 1.
func (d *Diffusion) QSample(xStart, noise *tensor.Tensor, t []int, mask []int) *tensor.Tensor {
	b, l, dim := dims3("QSample", xStart)
	sameShape("QSample", xStart, noise)
	checkBatch("QSample", t, b)
	checkMask("QSample", mask, b, l)
	x0, eps := xStart.Contiguous().Data(), noise.Contiguous().Data()
	out := tensor.New(b, l, dim)
	xt := out.Data()
	for i := range b {
		d.checkStep("QSample", t[i])
		a, s := at32(d.SqrtAlphasCumprod, t[i]), at32(d.SqrtOneMinusAlphasCumprod, t[i])
		for j := range l {
			off := (i*l + j) * dim
			if mask != nil && mask[i*l+j] == 0 {
				copy(xt[off:off+dim], x0[off:off+dim])
				continue
			}
			for k := off; k < off+dim; k++ {
				xt[k] = float32(a*x0[k]) + float32(s*eps[k])
			}
		}
	}
	return out
}

// XStartFromEmbeddings is the reference's _get_x_start: the training
// target z_0 = Emb(w) + √(1−ᾱ_0)·ε_0 at ALL positions, source included
// (a slightly noisy embedding; at decoding the source is the clean one).
//
//	xStartMean, noise: (B, L, d) → (B, L, d)
func (d *Diffusion) XStartFromEmbeddings(xStartMean, noise *tensor.Tensor) *tensor.Tensor {
	dims3("XStartFromEmbeddings", xStartMean)
	sameShape("XStartFromEmbeddings", xStartMean, noise)
	std := at32(d.SqrtOneMinusAlphasCumprod, 0)
	e, eps := xStartMean.Contiguous().Data(), noise.Contiguous().Data()
	out := tensor.New(xStartMean.Shape()...)
	z := out.Data()
	for k := range z {
		z[k] = e[k] + float32(std*eps[k])
	}
	return out
}

// QMean is the mean of q(x_t | x_0) at one step t for the whole batch:
// √ᾱ_t·x_0 (float32 coefficient). The tT loss uses it at t = K−1.
func (d *Diffusion) QMean(xStart *tensor.Tensor, t int) *tensor.Tensor {
	d.checkStep("QMean", t)
	a := at32(d.SqrtAlphasCumprod, t)
	src := xStart.Contiguous().Data()
	out := tensor.New(xStart.Shape()...)
	dst := out.Data()
	for k := range dst {
		dst[k] = a * src[k]
	}
	return out
}

// dims3 returns (B, L, d) of a rank-3 tensor or panics naming op.
func dims3(op string, x *tensor.Tensor) (int, int, int) {
	if x.Rank() != 3 {
		panic(fmt.Sprintf("diffuseq.%s: want a (B, L, d) tensor, got shape %v", op, x.Shape()))
	}
	return x.Dim(0), x.Dim(1), x.Dim(2)
}

func sameShape(op string, a, b *tensor.Tensor) {
	sa, sb := a.Shape(), b.Shape()
	if len(sa) != len(sb) {
		panic(fmt.Sprintf("diffuseq.%s: shapes %v and %v differ", op, sa, sb))
	}
	for i := range sa {
		if sa[i] != sb[i] {
			panic(fmt.Sprintf("diffuseq.%s: shapes %v and %v differ", op, sa, sb))
		}
	}
}

func checkBatch(op string, t []int, b int) {
	if len(t) != b {
		panic(fmt.Sprintf("diffuseq.%s: %d timesteps for a batch of %d", op, len(t), b))
	}
}

func checkMask(op string, mask []int, b, l int) {
	if mask != nil && len(mask) != b*l {
		panic(fmt.Sprintf("diffuseq.%s: mask of %d entries for (B, L) = (%d, %d)", op, len(mask), b, l))
	}
}
