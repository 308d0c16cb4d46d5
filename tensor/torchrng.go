package tensor

// TorchRNG reproduces the stream of PyTorch's default CPU generator after
// torch.manual_seed(seed): a 32-bit Mersenne Twister (MT19937) and the
// ways torch's CPU kernels turn its words into float32 uniform_ and
// normal_ fills. Its purpose is to start from the official code's initial
// weights (model.NewWithTorchRNG): which words end up with short
// embeddings, and so which become rounding attractors, is decided by that
// first draw. data's torch-order shuffling (randperm) draws from it too.
//
// Uniform fills are bit-identical to torch's (checked against Debian's
// torch 1.13 and the official fixture's torch 2.11). Normal fills use
// torch's
// draws and pairing exactly but this package's deterministic log and
// cosine, where torch uses float32 libm or vectorised approximations, so
// they agree to a few float32 ulp (about 1e-6 absolute for N(0, 1)).
type TorchRNG struct {
	mt  [mtN]uint32
	idx int
	// nextDouble caches the second value of the scalar normal path's
	// Box–Muller pair, as torch's generator does.
	nextDouble    float64
	hasNextDouble bool
}

const (
	mtN       = 624
	mtM       = 397
	mtMatrixA = 0x9908b0df
	mtUpper   = 0x80000000
	mtLower   = 0x7fffffff
)

// NewTorchRNG seeds like torch.manual_seed(seed) (the low 32 bits, as
// torch's mt19937 takes them).
func NewTorchRNG(seed uint64) *TorchRNG {
	g := &TorchRNG{idx: mtN}
	g.mt[0] = uint32(seed)
	for i := 1; i < mtN; i++ {
		prev := g.mt[i-1]
		g.mt[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	return g
}

// Random is the next 32-bit word (torch's generator->random()).
func (g *TorchRNG) Random() uint32 {
	if g.idx >= mtN {
		g.twist()
	}
	y := g.mt[g.idx]
	g.idx++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Random64 joins two words, the first as the high half (random64()).
func (g *TorchRNG) Random64() uint64 {
	hi := g.Random()
	lo := g.Random()
	return uint64(hi)<<32 | uint64(lo)
}

func (g *TorchRNG) twist() {
	for k := range mtN {
		y := g.mt[k]&mtUpper | g.mt[(k+1)%mtN]&mtLower
		v := g.mt[(k+mtM)%mtN] ^ y>>1
		if y&1 != 0 {
			v ^= mtMatrixA
		}
		g.mt[k] = v
	}
	g.idx = 0
}

// uniform01 is at::uniform_real_distribution<float>(0, 1): the low 24
// bits of one word, scaled (exact in float32).
func (g *TorchRNG) uniform01() float32 {
	return float32(g.Random()&(1<<24-1)) * (1.0 / (1 << 24))
}

// FillUniform is tensor.uniform_(from, to) on a float32 tensor: one word
// per element, x·(to − from) + from with from, to and to − from rounded
// to float32 as the kernel does, and the multiply-add rounded once, as
// torch's compiled kernel does (x and to − from have 24 significant bits
// each, so their product is exact in float64).
func (g *TorchRNG) FillUniform(x []float32, from, to float64) {
	lo, hi := float32(from), float32(to)
	w := float64(hi - lo)
	for i := range x {
		x[i] = float32(float64(g.uniform01())*w + float64(lo))
	}
}

// FillNormal is tensor.normal_(mean, std) on a contiguous float32 tensor.
// At 16 elements or more torch first fills every element with a uniform
// draw, transforms blocks of 16 (element j pairs with j+8: radius from
// the first, angle from the second), and, when the length is not a
// multiple of 16, draws the last 16 elements again and transforms them as
// one more block. Below 16 elements it takes the scalar double-precision
// path (normalScalar).
func (g *TorchRNG) FillNormal(x []float32, mean, std float64) {
	n := len(x)
	if n < 16 {
		for i := range x {
			x[i] = float32(float64(g.normalScalar()*std) + mean)
		}
		return
	}
	for i := range x {
		x[i] = g.uniform01()
	}
	for i := 0; i+16 <= n; i += 16 {
		normalBlock16(x[i:i+16], mean, std)
	}
	if n%16 != 0 {
		tail := x[n-16:]
		for i := range tail {
			tail[i] = g.uniform01()
		}
		normalBlock16(tail, mean, std)
	}
}

// normalBlock16 turns 16 uniforms into 16 normals in place (torch's
// normal_fill_16): u1 = 1 − x[j] ∈ (0, 1], u2 = x[j+8]. The explicit
// float64 conversions keep every product rounded on its own (no fused
// multiply-add), so the values are the same bits on every platform.
func normalBlock16(x []float32, mean, std float64) {
	for j := range 8 {
		u1 := 1 - float64(x[j])
		u2 := float64(x[j+8])
		r := sqrt64(float64(-2 * detLog(u1)))
		x[j] = float32(float64(float64(r*detCos2Pi(u2))*std) + mean)
		x[j+8] = float32(float64(float64(r*detSin2Pi(u2))*std) + mean)
	}
}

// normalScalar is at::normal_distribution<double>: two 53-bit uniforms
// u1, u2, radius √(−2·ln(1 − u2)) and angle 2π·u1; it returns r·cos and
// keeps r·sin for the next call.
func (g *TorchRNG) normalScalar() float64 {
	if g.hasNextDouble {
		g.hasNextDouble = false
		return g.nextDouble
	}
	u1 := float64(g.Random64()&(1<<53-1)) * (1.0 / (1 << 53)) // exact
	u2 := float64(g.Random64()&(1<<53-1)) * (1.0 / (1 << 53))
	r := sqrt64(float64(-2 * detLog(1-u2)))
	g.nextDouble, g.hasNextDouble = float64(r*detSin2Pi(u1)), true
	return float64(r * detCos2Pi(u1))
}

// Skip draws and discards n words (a fill whose values are not needed).
func (g *TorchRNG) Skip(n int) {
	for range n {
		g.Random()
	}
}

// SkipNormal advances the stream exactly as FillNormal of n elements
// would, without computing the values above the scalar path's sizes.
func (g *TorchRNG) SkipNormal(n int) {
	switch {
	case n < 16:
		for range n {
			g.normalScalar()
		}
	case n%16 != 0:
		g.Skip(n + 16)
	default:
		g.Skip(n)
	}
}

// detSin2Pi returns sin(2π·u) for u in [0, 1) as cos(2π(u − ¼)); the
// shift is exact for any u in [0, 1) that is a multiple of 2⁻⁵³.
func detSin2Pi(u float64) float64 {
	v := u - 0.25
	if v < 0 {
		v += 1
	}
	return detCos2Pi(v)
}
