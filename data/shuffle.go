package data

// pcg is the PCG-XSH-RR 64/32 generator (O'Neill 2014), two outputs per
// 64-bit draw. It is spelled out instead of taken from math/rand so that a
// data order, once recorded with a seed, never changes with the Go version.
type pcg struct{ state, inc uint64 }

const pcgMult = 6364136223846793005

func newPCG(seed, stream uint64) *pcg {
	p := &pcg{inc: stream<<1 | 1}
	p.next32()
	p.state += seed
	p.next32()
	return p
}

func (p *pcg) next32() uint32 {
	old := p.state
	p.state = old*pcgMult + p.inc
	xorshifted := uint32(((old >> 18) ^ old) >> 27)
	rot := uint32(old >> 59)
	return xorshifted>>rot | xorshifted<<((-rot)&31)
}

func (p *pcg) next64() uint64 { return uint64(p.next32())<<32 | uint64(p.next32()) }

// below returns a uniform integer in [0, n) by rejection (no modulo bias).
func (p *pcg) below(n uint64) uint64 {
	limit := -n % n // 2^64 mod n: values under it would be over-represented
	for {
		v := p.next64()
		if v >= limit {
			return v % n
		}
	}
}

// permutation returns a permutation of 0..n-1 from (seed, stream) by
// Fisher–Yates.
func permutation(n int, seed, stream uint64) []int {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	shuffleInts(perm, newPCG(seed, stream))
	return perm
}

func shuffleInts(a []int, p *pcg) {
	for i := len(a) - 1; i > 0; i-- {
		j := int(p.below(uint64(i + 1)))
		a[i], a[j] = a[j], a[i]
	}
}
