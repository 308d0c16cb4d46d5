package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// argMinCheck compares ArgMinDist with the reference loop: the same index
// and the same distance (==, so a zero's sign may differ), guards intact.
func argMinCheck(t *testing.T, what string, dots, en *vecBuf, xn float32) {
	t.Helper()
	gi, gd := ArgMinDist(dots.s, en.s, xn)
	wi, wd := argMinDistGeneric(dots.s, en.s, xn)
	if gi != wi || gd != wd && !(math.IsInf(float64(gd), 1) && math.IsInf(float64(wd), 1)) {
		t.Fatalf("%s: ArgMinDist = (%d, %v), loop (%d, %v)", what, gi, gd, wi, wd)
	}
	dots.checkGuards(t, what+" dots")
	en.checkGuards(t, what+" en")
}

// TestArgMinDist: random rows of every length 0..300 and a few long ones,
// unaligned, with continuous values (a unique minimum) and with values
// from a small integer set (many ties, so "first index" is exercised in
// every lane and across the vector/tail boundary).
func TestArgMinDist(t *testing.T) {
	vecLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, n := range vecLengths(rng, 4) {
			for _, ties := range []bool{false, true} {
				off := rng.IntN(8)
				dots := randBuf(rng, n, off, -2, 2)
				en := randBuf(rng, n, (off+5)%8, 0, 4)
				xn := 4 * rng.Float32()
				if ties {
					for i := range dots.s {
						dots.s[i] = float32(rng.IntN(3))
						en.s[i] = float32(rng.IntN(3))
					}
					xn = 1
				}
				argMinCheck(t, fmt.Sprintf("n=%d off=%d ties=%v", n, off, ties), dots, en, xn)
			}
		}
	})
}

// TestArgMinDistSpecial: NaN and +Inf distances never win, a minimum
// after them is found, clamped (negative) distances tie at 0, and with
// nothing below +Inf the answer is -1.
func TestArgMinDistSpecial(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	vecLevels(t, func(t *testing.T) {
		for _, n := range []int{1, 3, 4, 7, 8, 9, 16, 17, 33, 100} {
			for _, c := range []struct {
				name string
				set  func(dots, en []float32)
			}{
				{"all NaN", func(d, e []float32) {
					for i := range d {
						d[i] = nan
					}
				}},
				{"all +Inf", func(d, e []float32) {
					for i := range e {
						e[i] = inf
					}
				}},
				{"NaN first, minimum last", func(d, e []float32) {
					d[0] = nan
					d[len(d)-1] = 0.25
				}},
				{"negative distances clamp to a tie at 0", func(d, e []float32) {
					for i := n / 3; i < n; i += 2 {
						d[i] = 10
					}
				}},
				{"NaN xn", nil},
			} {
				dots, en := newVecBuf(n, n%8), newVecBuf(n, 0)
				for i := range dots.s {
					dots.s[i], en.s[i] = 0, 1
				}
				xn := float32(1)
				if c.set != nil {
					c.set(dots.s, en.s)
				} else {
					xn = nan
				}
				argMinCheck(t, fmt.Sprintf("n=%d %s", n, c.name), dots, en, xn)
			}
		}
		if i, d := ArgMinDist(nil, nil, 0); i != -1 || !math.IsInf(float64(d), 1) {
			t.Errorf("empty: (%d, %v), want (-1, +Inf)", i, d)
		}
		defer func() {
			if recover() == nil {
				t.Error("ArgMinDist with short en did not panic")
			}
		}()
		ArgMinDist(make([]float32, 4), make([]float32, 3), 0)
	})
}

// FuzzArgMinDist: any bytes as float32 rows (NaN, Inf, subnormals
// included) give the loop's answer on every level.
func FuzzArgMinDist(f *testing.F) {
	f.Add([]byte{0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64}, uint32(0x3f800000))
	f.Fuzz(func(t *testing.T, raw []byte, xnBits uint32) {
		n := len(raw) / 8
		dots, en := newVecBuf(n, n%8), newVecBuf(n, 3)
		for i := range n {
			dots.s[i] = math.Float32frombits(uint32(raw[8*i]) | uint32(raw[8*i+1])<<8 | uint32(raw[8*i+2])<<16 | uint32(raw[8*i+3])<<24)
			en.s[i] = math.Float32frombits(uint32(raw[8*i+4]) | uint32(raw[8*i+5])<<8 | uint32(raw[8*i+6])<<16 | uint32(raw[8*i+7])<<24)
		}
		xn := math.Float32frombits(xnBits)
		vecLevels(t, func(t *testing.T) {
			argMinCheck(t, fmt.Sprintf("n=%d", n), dots, en, xn)
		})
	})
}

func BenchmarkArgMinDist(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 1024
	dots, en := make([]float32, n), make([]float32, n)
	for i := range dots {
		dots[i], en[i] = rng.Float32(), 1+rng.Float32()
	}
	for _, l := range Available() {
		b.Run(l.String(), func(b *testing.B) {
			restore := SetImpl(l)
			defer restore()
			b.SetBytes(8 * n)
			for b.Loop() {
				ArgMinDist(dots, en, 1)
			}
		})
	}
}
