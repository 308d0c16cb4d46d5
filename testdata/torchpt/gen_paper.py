#!/usr/bin/python3
"""Writes a paper-sized synthetic DiffuSeq state dict (91,225,274 parameters,
~365 MB) for timing `diffuseq import`; not used by tests, not committed.

    /usr/bin/python3 gen_paper.py /tmp/big/ema_0.9999_050000.pt
"""
import collections
import sys

import torch

torch.manual_seed(0)
V, d, dt, H, I, P, L = 30522, 128, 128, 768, 3072, 512, 12
sd = collections.OrderedDict()
sd["position_ids"] = torch.arange(P).reshape(1, P)
E = torch.randn(V, d)
sd["word_embedding.weight"] = E
sd["lm_head.weight"] = E  # tied: the same tensor
sd["lm_head.bias"] = torch.randn(V)


def lin(name, out_f, in_f):
    sd[name + ".weight"] = torch.randn(out_f, in_f) * 0.02
    sd[name + ".bias"] = torch.zeros(out_f)


lin("time_embed.0", 4 * dt, dt)
lin("time_embed.2", H, 4 * dt)
lin("input_up_proj.0", H, d)
lin("input_up_proj.2", H, H)
for i in range(L):
    p = f"input_transformers.layer.{i}."
    for n in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
        lin(p + n, H, H)
    sd[p + "attention.output.LayerNorm.weight"] = torch.ones(H)
    sd[p + "attention.output.LayerNorm.bias"] = torch.zeros(H)
    lin(p + "intermediate.dense", I, H)
    lin(p + "output.dense", H, I)
    sd[p + "output.LayerNorm.weight"] = torch.ones(H)
    sd[p + "output.LayerNorm.bias"] = torch.zeros(H)
sd["position_embeddings.weight"] = torch.randn(P, H)
sd["LayerNorm.weight"] = torch.ones(H)
sd["LayerNorm.bias"] = torch.zeros(H)
lin("output_down_proj.0", H, H)
lin("output_down_proj.2", d, H)
torch.save(sd, sys.argv[1])
