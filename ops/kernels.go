package ops

import (
	"fmt"
	"math"
	"slices"

	"github.com/diffuseq-go/diffuseq/asm"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// Float is the element type of the generic op math. The autograd ops run
// it in float32; the gradient checks run the very same code in float64.
type Float interface{ ~float32 | ~float64 }

// kernels holds the dense kernels whose float32 versions live in asm. Op
// math is written once, generic over F, taking a *kernels[F]: k32 binds
// asm (the fast path the tape uses) and k64 binds the plain-Go references
// below (the exact path the float64 gradient checks use).
type kernels[F Float] struct {
	gemm         func(transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int)
	gemmBatched  func(transA, transB bool, m, n, k int, alpha F, a []F, lda, strideA int, b []F, ldb, strideB int, beta F, c []F, ldc, strideC int, batch int)
	softmaxRows  func(dst, x []F, rows, cols int)
	layerNorm    func(dst, x, gamma, beta, mean, rstd []F, rows, cols int, eps F)
	layerNormBwd func(dx, dgamma, dbeta, dy, x, gamma, mean, rstd []F, rows, cols int)
	gelu         func(dst, x []F)
	geluBwd      func(dx, x, dy []F)
	tanh         func(dst, x []F)
	silu         func(dst, x []F)
	exp          func(dst, x []F)
	max          func(x []F) F        // of a non-empty slice
	sum          func(x []F) F        // Σ x
	scale        func(alpha F, x []F) // x *= alpha
	axpy         func(alpha F, x, y []F)
}

var k32 = &kernels[float32]{
	gemm:         asm.Sgemm,
	gemmBatched:  asm.SgemmBatched,
	softmaxRows:  parRows(asm.SoftmaxRows),
	layerNorm:    parLayerNorm(asm.LayerNormRows),
	layerNormBwd: asm.LayerNormBackwardRows,
	gelu:         parUnary(asm.Gelu),
	geluBwd:      parTernary(asm.GeluBackward),
	tanh:         parUnary(asm.Tanh),
	silu:         parUnary(asm.Silu),
	exp:          asm.Exp, // called per row inside forRows (cross-entropy): stays serial
	max:          asm.Max,
	sum:          asm.Sum,
	scale:        asm.Scale,
	axpy:         asm.Axpy,
}

var k64 = &kernels[float64]{
	gemm:         gemmRef[float64],
	gemmBatched:  gemmBatchedRef[float64],
	softmaxRows:  softmaxRowsRef[float64],
	layerNorm:    layerNormRef[float64],
	layerNormBwd: layerNormBwdRef[float64],
	gelu:         geluRef[float64],
	geluBwd:      geluBwdRef[float64],
	tanh:         mapRef[float64](math.Tanh),
	silu:         mapRef[float64](func(x float64) float64 { return x / (1 + math.Exp(-x)) }),
	exp:          mapRef[float64](math.Exp),
	max:          slices.Max[[]float64],
	sum:          sumRef[float64],
	scale:        scaleRef[float64],
	axpy:         axpyRef[float64],
}

// The references: the same formulas as asm's generic twins, in any F.

func gemmRef[F Float](transA, transB bool, m, n, k int, alpha F, a []F, lda int, b []F, ldb int, beta F, c []F, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s F
			for p := 0; p < k; p++ {
				var av, bv F
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += av * bv
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * s
			} else {
				c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
			}
		}
	}
}

func gemmBatchedRef[F Float](transA, transB bool, m, n, k int, alpha F, a []F, lda, strideA int, b []F, ldb, strideB int, beta F, c []F, ldc, strideC int, batch int) {
	for i := 0; i < batch; i++ {
		gemmRef(transA, transB, m, n, k, alpha, a[i*strideA:], lda, b[i*strideB:], ldb, beta, c[i*strideC:], ldc)
	}
}

func softmaxRowsRef[F Float](dst, x []F, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr, dr := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
		m := slices.Max(xr)
		var s F
		for j, v := range xr {
			dr[j] = F(math.Exp(float64(v - m)))
			s += dr[j]
		}
		for j := range dr {
			dr[j] /= s
		}
	}
}

func layerNormRef[F Float](dst, x, gamma, beta, mean, rstd []F, rows, cols int, eps F) {
	for r := 0; r < rows; r++ {
		xr, dr := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
		var mu, v F
		for _, e := range xr {
			mu += e
		}
		mu /= F(cols)
		for _, e := range xr {
			v += (e - mu) * (e - mu)
		}
		rs := F(1 / math.Sqrt(float64(v/F(cols)+eps)))
		mean[r], rstd[r] = mu, rs
		for j, e := range xr {
			dr[j] = (e-mu)*rs*gamma[j] + beta[j]
		}
	}
}

// layerNormBwdRef: with x̂ = (x-mean)·rstd and g = dy·gamma,
// dx += rstd·(g - mean(g) - x̂·mean(g·x̂)), dgamma += Σ dy·x̂, dbeta += Σ dy.
func layerNormBwdRef[F Float](dx, dgamma, dbeta, dy, x, gamma, mean, rstd []F, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr, dyr, dxr := x[r*cols:(r+1)*cols], dy[r*cols:(r+1)*cols], dx[r*cols:(r+1)*cols]
		var gs, gxs F
		for j, e := range xr {
			xh := (e - mean[r]) * rstd[r]
			g := dyr[j] * gamma[j]
			gs += g
			gxs += g * xh
			dgamma[j] += dyr[j] * xh
			dbeta[j] += dyr[j]
		}
		gs /= F(cols)
		gxs /= F(cols)
		for j, e := range xr {
			xh := (e - mean[r]) * rstd[r]
			dxr[j] += rstd[r] * (dyr[j]*gamma[j] - gs - xh*gxs)
		}
	}
}

// geluRef is the erf form used by BERT: x·Φ(x).
func geluRef[F Float](dst, x []F) {
	for i, v := range x {
		f := float64(v)
		dst[i] = F(0.5 * f * (1 + math.Erf(f/math.Sqrt2)))
	}
}

// geluBwdRef: d/dx x·Φ(x) = Φ(x) + x·φ(x).
func geluBwdRef[F Float](dx, x, dy []F) {
	for i, v := range x {
		f := float64(v)
		cdf := 0.5 * (1 + math.Erf(f/math.Sqrt2))
		pdf := math.Exp(-0.5*f*f) / math.Sqrt(2*math.Pi)
		dx[i] += dy[i] * F(cdf+f*pdf)
	}
}

func sumRef[F Float](x []F) F {
	var s F
	for _, v := range x {
		s += v
	}
	return s
}

func scaleRef[F Float](alpha F, x []F) {
	for i := range x {
		x[i] *= alpha
	}
}

// axpyRef computes y += alpha·x.
func axpyRef[F Float](alpha F, x, y []F) {
	for i, v := range x {
		y[i] += alpha * v
	}
}

func mapRef[F Float](f func(float64) float64) func(dst, x []F) {
	return func(dst, x []F) {
		for i, v := range x {
			dst[i] = F(f(float64(v)))
		}
	}
}

// grainElems is the least work (in elements) worth handing to another
// worker for memory-bound loops.
const grainElems = 1 << 14

// forRows runs fn over [0, rows) in parallel, in chunks of at least
// grainElems elements when each row holds cols elements. fn must not call
// kernels that parallelise themselves (no nested parallelism).
func forRows(rows, cols int, fn func(lo, hi int)) {
	grain := 1
	if cols > 0 {
		grain = max(1, grainElems/cols)
	}
	parallel.For(rows, grain, fn)
}

// numel multiplies the dimensions of shape.
func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// lastDim splits shape into (rows, cols): cols is the last dimension and
// rows the product of the others. op names the caller for the panic.
func lastDim(op string, shape []int) (rows, cols int) {
	if len(shape) == 0 {
		panic(fmt.Sprintf("ops.%s: needs at least one dimension, got a scalar", op))
	}
	cols = shape[len(shape)-1]
	return numel(shape[:len(shape)-1]), cols
}
