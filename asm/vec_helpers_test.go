package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Shared helpers of the vector-kernel tests (prefixed vec to stay clear of
// the sgemm tests' names).

// vecLevels runs f once per kernel level this machine supports, with every
// kernel switched to that level.
func vecLevels(t *testing.T, f func(t *testing.T)) {
	for _, l := range Available() {
		t.Run(l.String(), func(t *testing.T) {
			restore := SetImpl(l)
			defer restore()
			f(t)
		})
	}
}

// vecGuardBits is the NaN payload of the guard regions: a kernel reading a
// guard gets NaN into its result, and one writing a guard changes the bits.
const vecGuardBits = 0x7fc0dead

const vecGuardN = 5

// vecBuf is a slice of n floats at offset off (0..7) inside a buffer whose
// other elements are guard NaNs.
type vecBuf struct {
	all []float32
	lo  int
	s   []float32
}

func newVecBuf(n, off int) *vecBuf {
	all := make([]float32, off+2*vecGuardN+n)
	g := math.Float32frombits(vecGuardBits)
	for i := range all {
		all[i] = g
	}
	lo := off + vecGuardN
	return &vecBuf{all: all, lo: lo, s: all[lo : lo+n : lo+n]}
}

// randBuf is newVecBuf filled with uniform values in [lo, hi).
func randBuf(rng *rand.Rand, n, off int, lo, hi float32) *vecBuf {
	b := newVecBuf(n, off)
	for i := range b.s {
		b.s[i] = lo + (hi-lo)*rng.Float32()
	}
	return b
}

// checkGuards fails if anything outside b.s changed.
func (b *vecBuf) checkGuards(t *testing.T, what string) {
	t.Helper()
	for i, v := range b.all {
		if i >= b.lo && i < b.lo+len(b.s) {
			continue
		}
		if math.Float32bits(v) != vecGuardBits {
			t.Fatalf("%s: guard element %d (slice starts at %d, len %d) overwritten with %v", what, i, b.lo, len(b.s), v)
		}
	}
}

// vecLengths is 0..300 then a few random lengths up to 100k.
func vecLengths(rng *rand.Rand, big int) []int {
	var ns []int
	for n := 0; n <= 300; n++ {
		ns = append(ns, n)
	}
	for i := 0; i < big; i++ {
		ns = append(ns, 301+rng.IntN(100000-300))
	}
	return append(ns, vecChunk, vecChunk+1, 3*vecChunk+7)
}

// ulp32 is the distance between a and b in float32 units in the last place
// (0 for equal values, including equal infinities; +Inf if either is NaN
// and the other is not).
func ulp32(a, b float32) float64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.Inf(1)
	}
	return math.Abs(float64(ordered(a) - ordered(b)))
}

// ordered maps float32 bits onto integers that increase with the value.
func ordered(f float32) int64 {
	b := int64(math.Float32bits(f))
	if b&0x80000000 != 0 {
		return -(b & 0x7fffffff)
	}
	return b
}

// vecSpecials are the special values every element-wise kernel must
// handle like its generic twin.
var vecSpecials = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1,
	float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
	math.MaxFloat32, -math.MaxFloat32, 1e30, -1e30, 100, -100, 89, -89, 88.72, 88.73, -87.3, -87.4, -103.9, -104, -110,
	math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, 1e-40, -1e-40, 1.17549435e-38, 1e-30, -1e-30,
	0.5, -0.5, 3, -3, 5.9, -5.9, 9, -9, 10, -10, 13, -13, 20, -20, 0.34657359, -0.34657359,
}
