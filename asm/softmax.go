package asm

// SoftmaxRows writes the softmax of each of the rows×cols row-major rows of
// x into dst (which may alias x), subtracting the row max for stability.
//
// Reference loop (softmaxRowsGeneric), per row:
//
//	m := Max(row)
//	for j := range row { e[j] = float32(math.Exp(float64(row[j] - m))); s += e[j] }
//	for j := range row { dst[j] = e[j] / s }  (as e[j]·(1/s))
//
// Accuracy contract, all levels: each finite row sums to 1 within
// 1e-6 + cols·2⁻²⁴, and each element is within 4 ulp + 1e-7·max(row) of
// the reference (the exponentials are Exp's, and the row sum is
// accumulated in a different order). A row holding a NaN or +Inf, or
// made only of -Inf, comes out all NaN, as in the reference.
func SoftmaxRows(dst, x []float32, rows, cols int) {
	sameLen("SoftmaxRows", rows*cols, dst, x)
	softmaxRows(dst, x, rows, cols)
}

var softmaxRows = softmaxRowsGeneric
