#!/usr/bin/python3
"""Prints the orders the reference's training loader draws, for data/'s
TorchOrder test (data/shuffle_torch_test.go stores them).

The reference shuffles training data with torch's DistributedSampler
(shuffle=True, seed=0, one process): torch.randperm(n) from a
torch.Generator seeded with seed + epoch. Checked here with Debian's
python3-torch 1.13.

Run: /usr/bin/python3 testdata/tokenizer/gen_torch_randperm.py
"""
import torch
from torch.utils.data import DistributedSampler

def perm(n, seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return torch.randperm(n, generator=g).tolist()

print(torch.__version__)
print('randperm(10, 0)    =', perm(10, 0))
print('randperm(7, 5)     =', perm(7, 5))
print('randperm(29000, 0)[:10] =', perm(29000, 0)[:10])
print('randperm(29000, 0)[-5:] =', perm(29000, 0)[-5:])
s = DistributedSampler(list(range(13)), num_replicas=1, rank=0, shuffle=True, seed=0)
print('DistributedSampler(13) epoch 0 =', list(s))
s.set_epoch(3)
print('DistributedSampler(13) epoch 3 =', list(s))
