package data

// torch's CPU generator and randperm, so the loader can draw exactly the
// order the reference's training loader uses: DistributedSampler takes
// torch.randperm(N) from a torch.Generator seeded with seed + epoch
// (seed 0, epoch always 0 in the reference; spec 1.5).

// mt19937 is the 32-bit Mersenne Twister (Matsumoto & Nishimura 1998),
// the engine of torch's CPU generator; torch seeds it with the low 32 bits
// of manual_seed's argument.
type mt19937 struct {
	state [624]uint32
	next  int
}

func newMT19937(seed uint64) *mt19937 {
	m := &mt19937{next: 624}
	m.state[0] = uint32(seed)
	for i := 1; i < 624; i++ {
		prev := m.state[i-1]
		m.state[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	return m
}

// uint32 returns the next tempered output.
func (m *mt19937) uint32() uint32 {
	if m.next >= 624 {
		m.twist()
	}
	y := m.state[m.next]
	m.next++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// twist regenerates the 624 words of state.
func (m *mt19937) twist() {
	for i := 0; i < 624; i++ {
		y := m.state[i]&0x80000000 | m.state[(i+1)%624]&0x7fffffff
		v := m.state[(i+397)%624] ^ y>>1
		if y&1 != 0 {
			v ^= 0x9908b0df
		}
		m.state[i] = v
	}
	m.next = 0
}

// torchRandperm is torch.randperm(n, generator=torch.Generator().manual_seed(seed))
// on the CPU: start from 0..n-1 and, for i = 0..n-2, swap element i with
// element i + (random() mod (n-i)). (The modulo bias is torch's.)
func torchRandperm(n int, seed uint64) []int {
	g := newMT19937(seed)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	for i := 0; i < n-1; i++ {
		z := i + int(uint64(g.uint32())%uint64(n-i))
		perm[i], perm[z] = perm[z], perm[i]
	}
	return perm
}
