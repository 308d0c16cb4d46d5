package tensor

import "github.com/diffuseq-go/diffuseq/internal/parallel"

// RNG is a small seeded generator whose every output is bit-identical on
// every run, platform and thread count.
//
// Algorithm: the state is a 64-bit counter stepped by the golden-ratio
// constant 0x9e3779b97f4a7c15 and each output is the SplitMix64 finaliser of
// the new state (Steele, Lea and Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014). Uniform floats take the top bits; Intn rejects
// the biased low range; Normal is Box-Muller on two uniforms using this
// package's own log and cosine (detmath.go) instead of package math, because
// math.Log is assembly on amd64 but Go on arm64, where the compiler may also
// fuse a*b+c into one FMA: either can change the last bit of a draw and
// with it a whole training run. Code that draws in parallel gives each
// worker its own stream with Split, keyed by the work item, never by the
// goroutine.
type RNG struct {
	state uint64
}

// NewRNG returns a generator seeded with seed.
func NewRNG(seed uint64) *RNG { return &RNG{state: seed} }

// State and SetState expose the position in the stream, so a checkpoint can
// save it and a resumed run continues with the same draws.
func (r *RNG) State() uint64 { return r.state }

// SetState restores a position saved by State.
func (r *RNG) SetState(s uint64) { r.state = s }

// Uint64 returns the next 64 random bits (SplitMix64).
func (r *RNG) Uint64() uint64 {
	r.state += golden
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Split returns an independent generator derived from r's seed and key
// without advancing r.
func (r *RNG) Split(key uint64) *RNG {
	s := RNG{state: r.state ^ (key * 0xd1342543de82ef95)}
	return &RNG{state: s.Uint64()}
}

// Float64 returns a uniform value in [0, 1) with 53 random bits (exact:
// an integer below 2^53 times a power of two).
func (r *RNG) Float64() float64 { return float64(r.Uint64()>>11) * (1.0 / (1 << 53)) }

// Uniform returns a uniform float32 in [0, 1) with 24 random bits (exact).
func (r *RNG) Uniform() float32 { return float32(r.Uint64()>>40) * (1.0 / (1 << 24)) }

// Intn returns a uniform integer in [0, n) (n > 0), without modulo bias.
func (r *RNG) Intn(n int) int {
	if n <= 0 {
		panic("tensor.RNG.Intn: n <= 0")
	}
	bound := uint64(n)
	limit := -bound % bound // 2^64 mod n
	for {
		v := r.Uint64()
		if v >= limit {
			return int(v % bound)
		}
	}
}

// Normal returns a standard normal float64 by the Box-Muller transform,
// sqrt(-2·ln u1)·cos(2π·u2), drawing u1 then u2. Only IEEE-exact operations
// (+ - * / sqrt, each rounded on its own) are used, so the value is the same
// bit pattern on every platform; it agrees with the math-package formula to
// within a few ulp.
func (r *RNG) Normal() float64 {
	u1 := 1 - r.Float64() // (0, 1], exact
	u2 := r.Float64()
	return float64(sqrt64(float64(-2*detLog(u1))) * detCos2Pi(u2))
}

// FillNormal fills x with mean + std·N(0,1) draws. The explicit float32
// conversions stop the compiler fusing the multiply-add (which arm64 would
// do and amd64 would not).
//
// The draws are those of successive Normal calls, bit for bit; they are
// computed normalBatch at a time (detmath_batch.go), which is several
// times faster.
func (r *RNG) FillNormal(x []float32, mean, std float32) {
	var u1, u2, z [normalBatch]float64
	for len(x) >= normalBatch {
		for k := range normalBatch {
			u1[k] = 1 - r.Float64()
			u2[k] = r.Float64()
		}
		boxMullerBatch(&z, &u1, &u2)
		for k := range normalBatch {
			x[k] = mean + float32(std*float32(z[k]))
		}
		x = x[normalBatch:]
	}
	for i := range x {
		x[i] = mean + float32(std*float32(r.Normal()))
	}
}

// golden is the stream's step: the state after k draws is state + k·golden
// (mod 2⁶⁴), which is what lets FillNormalParallel start every chunk at
// its own position.
const golden = 0x9e3779b97f4a7c15

// parallelNormalGrain is the fewest normals a worker is given (tens of
// microseconds of work, well above the pool's hand-off cost).
const parallelNormalGrain = 8192

// FillNormalParallel is FillNormal spread over the worker pool: the same
// draws, bit for bit, for any thread count. Element i uses the stream's
// draws 2i+1 and 2i+2, so a chunk starting at element lo starts from
// state + 2·lo·golden. Like parallel.For, it must not be called from
// inside a parallel.For body.
func (r *RNG) FillNormalParallel(x []float32, mean, std float32) {
	start := r.state
	parallel.For(len(x), parallelNormalGrain, func(lo, hi int) {
		part := RNG{state: start + uint64(2*lo)*golden}
		part.FillNormal(x[lo:hi], mean, std)
	})
	r.state = start + uint64(2*len(x))*golden
}

// FillUniform fills x with uniform draws in [lo, hi).
func (r *RNG) FillUniform(x []float32, lo, hi float32) {
	w := hi - lo
	for i := range x {
		x[i] = lo + float32(w*r.Uniform())
	}
}
