package asm

// SoftmaxRows writes the softmax of each of the rows×cols row-major rows of
// x into dst (which may alias x), subtracting the row max for stability.
//
// Reference loop (softmaxRowsGeneric), per row:
//
//	m := Max(row)
//	for j := range row { e[j] = float32(math.Exp(float64(row[j] - m))); s += float64(e[j]) }
//	for j := range row { dst[j] = e[j] * float32(1/s) }
//
// Accuracy contract, all levels: each element is within
// (4 + |x-m| + cols)·2⁻²⁴ relative of the exact softmax (Exp's ulps, the
// rounding of x-m, the row sum), and each finite row sums to 1 within 1e-6
// (tested up to 100k columns; the AVX2 path sums in 16 float32 lanes,
// the generic one in float64). A row holding a NaN or +Inf, or made only
// of -Inf, comes out all NaN; -Inf elements of other rows give 0.
func SoftmaxRows(dst, x []float32, rows, cols int) {
	sameLen("SoftmaxRows", rows*cols, dst, x)
	softmaxRows(dst, x, rows, cols)
}

var softmaxRows = softmaxRowsGeneric
