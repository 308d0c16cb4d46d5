package data

import "github.com/diffuseq-go/diffuseq/tensor"

// torch's CPU generator and randperm, so the loader can draw exactly the
// order the reference's training loader uses: DistributedSampler takes
// torch.randperm(N) from a torch.Generator seeded with seed + epoch
// (seed 0, epoch always 0 in the reference; spec 1.5).

// torchRandperm is torch.randperm(n, generator=torch.Generator().manual_seed(seed))
// on the CPU: start from 0..n-1 and, for i = 0..n-2, swap element i with
// element i + (random() mod (n-i)). (The modulo bias is torch's.)
func torchRandperm(n int, seed uint64) []int {
	g := tensor.NewTorchRNG(seed) // torch's CPU generator (MT19937)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	for i := 0; i < n-1; i++ {
		z := i + int(uint64(g.Random())%uint64(n-i))
		perm[i], perm[z] = perm[z], perm[i]
	}
	return perm
}
