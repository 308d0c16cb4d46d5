package ops

// The asm vector kernels are single-threaded. These wrappers spread the
// row- and element-wise ones over the worker pool in ranges of at least
// grainElems elements (smaller calls run inline). Each element or row is
// computed on its own, so the result does not depend on the split: the
// same bits for any thread count. Before this, GELU, the attention softmax
// and the layer norms ran on one core in a two-thread step (about a tenth
// of a sampling step's work). LayerNormBackwardRows stays serial: its dγ
// and dβ sum over rows, and splitting them would make the sums depend on
// the thread count.

// parBlock is the unit the element-wise ranges are cut in. The NEON
// kernels do the multiple-of-4 prefix of a call and finish the 0-3 last
// elements with the generic formula, whose rounding can differ in the
// last bit; cutting at multiples of parBlock leaves the same elements to
// that tail as one serial call (the last few of the whole slice).
const parBlock = 16

// parUnary runs f(dst, x) element-wise in parallel.
func parUnary(f func(dst, x []float32)) func(dst, x []float32) {
	return func(dst, x []float32) {
		n := len(dst)
		x = x[:n]
		forRows((n+parBlock-1)/parBlock, parBlock, func(lo, hi int) {
			a, b := lo*parBlock, min(hi*parBlock, n)
			f(dst[a:b], x[a:b])
		})
	}
}

// parTernary runs f(dst, x, y) element-wise in parallel.
func parTernary(f func(dst, x, y []float32)) func(dst, x, y []float32) {
	return func(dst, x, y []float32) {
		n := len(dst)
		x, y = x[:n], y[:n]
		forRows((n+parBlock-1)/parBlock, parBlock, func(lo, hi int) {
			a, b := lo*parBlock, min(hi*parBlock, n)
			f(dst[a:b], x[a:b], y[a:b])
		})
	}
}

// parRows runs a row kernel f(dst, x, rows, cols) over blocks of rows.
func parRows(f func(dst, x []float32, rows, cols int)) func(dst, x []float32, rows, cols int) {
	return func(dst, x []float32, rows, cols int) {
		forRows(rows, cols, func(lo, hi int) { f(dst[lo*cols:hi*cols], x[lo*cols:hi*cols], hi-lo, cols) })
	}
}

// parLayerNorm runs the layer-norm forward over blocks of rows (γ and β
// are shared; mean and rstd are per row).
func parLayerNorm(f func(dst, x, gamma, beta, mean, rstd []float32, rows, cols int, eps float32)) func(dst, x, gamma, beta, mean, rstd []float32, rows, cols int, eps float32) {
	return func(dst, x, gamma, beta, mean, rstd []float32, rows, cols int, eps float32) {
		forRows(rows, cols, func(lo, hi int) {
			f(dst[lo*cols:hi*cols], x[lo*cols:hi*cols], gamma, beta, mean[lo:hi], rstd[lo:hi], hi-lo, cols, eps)
		})
	}
}
