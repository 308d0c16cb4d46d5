package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// maxCheck compares Max with the reference loop: the same value (==; a
// zero's sign may differ), NaN exactly when the loop gives NaN.
func maxCheck(t *testing.T, what string, x *vecBuf) {
	t.Helper()
	got, want := Max(x.s), maxGeneric(x.s)
	if got != want && !(got != got && want != want) {
		t.Fatalf("%s: Max = %v, loop %v", what, got, want)
	}
	x.checkGuards(t, what)
}

// TestMaxRandom: every length 0..300 and a few long ones, unaligned, with
// NaNs (quiet and signalling) sprinkled in, rows of only NaN and -Inf, and
// the maximum placed in every lane and in the tail.
func TestMaxRandom(t *testing.T) {
	snan := math.Float32frombits(0x7f800001)
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(61, 62))
		for _, n := range vecLengths(rng, 4) {
			off := rng.IntN(8)
			x := randBuf(rng, n, off, -100, 100)
			maxCheck(t, fmt.Sprintf("n=%d", n), x)
			if n == 0 {
				continue
			}
			x.s[rng.IntN(n)] = 1000 // a unique maximum anywhere
			maxCheck(t, fmt.Sprintf("n=%d peak", n), x)
			for range 1 + n/10 {
				x.s[rng.IntN(n)] = float32(math.NaN())
				x.s[rng.IntN(n)] = snan
			}
			maxCheck(t, fmt.Sprintf("n=%d NaNs", n), x)
			for i := range x.s {
				x.s[i] = float32(math.NaN())
			}
			maxCheck(t, fmt.Sprintf("n=%d all NaN", n), x)
			for i := range x.s {
				if i%3 == 0 {
					x.s[i] = float32(math.Inf(-1))
				}
			}
			maxCheck(t, fmt.Sprintf("n=%d NaN and -Inf", n), x)
		}
	})
}

// FuzzMax: any bytes as a float32 row give the loop's maximum on every level.
func FuzzMax(f *testing.F) {
	f.Add([]byte{0, 0, 128, 63, 1, 0, 128, 127, 0, 0, 0, 64})
	f.Fuzz(func(t *testing.T, raw []byte) {
		n := len(raw) / 4
		x := newVecBuf(n, n%8)
		for i := range n {
			x.s[i] = math.Float32frombits(uint32(raw[4*i]) | uint32(raw[4*i+1])<<8 | uint32(raw[4*i+2])<<16 | uint32(raw[4*i+3])<<24)
		}
		vecLevels(t, func(t *testing.T) { maxCheck(t, fmt.Sprintf("n=%d", n), x) })
	})
}

func BenchmarkMax(b *testing.B) {
	rng := rand.New(rand.NewPCG(63, 64))
	x := make([]float32, 8000) // a row of the small config's logits
	for i := range x {
		x[i] = rng.Float32()
	}
	for _, l := range Available() {
		b.Run(l.String(), func(b *testing.B) {
			restore := SetImpl(l)
			defer restore()
			b.SetBytes(int64(4 * len(x)))
			for b.Loop() {
				Max(x)
			}
		})
	}
}
