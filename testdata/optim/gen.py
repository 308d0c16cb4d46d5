#!/usr/bin/python3
"""Generate optimiser goldens for package optim from PyTorch itself.

Replays the reference's optimisation step (docs/training.md, reference spec 4.2)
with torch.optim.AdamW, torch.nn.utils.clip_grad_norm_, the linear learning-rate
anneal and the EMA update, on a few small named tensors with fixed gradients,
and writes every input and every intermediate state to golden.json.

Run from the repository root:  /usr/bin/python3 testdata/optim/gen.py
The Go tests only read golden.json; they never run this script.
"""
import json
import math
import os

import torch

SHAPES = [
    # (name, shape, gradient scale): names follow the DiffuSeq state dict.
    ("word_embedding.weight", (6, 4), 1.0),
    ("input_transformers.layer.0.attention.self.query.bias", (5,), 1.0),
    ("time_embed.0.weight", (3, 2, 2), 1.0),
    # gradients of order 1e-9 make eps (1e-8) dominate the denominator:
    # this parameter pins down where eps is added.
    ("lm_head.bias", (7,), 1e-9),
]

SCENARIOS = [
    dict(name="clip_wd_two_emas", lr=1e-3, weight_decay=0.01, gradient_clipping=1.0,
         learning_steps=8, resume_step=0, ema_rates=[0.9999, 0.9],
         grad_scales=[0.3, 3.0, 0.05, 1.5, 0.5, 4.0]),
    dict(name="reference_defaults", lr=1e-4, weight_decay=0.0, gradient_clipping=-1.0,
         learning_steps=40000, resume_step=0, ema_rates=[0.9999],
         grad_scales=[1.0, 0.7, 2.0, 0.1, 1.0]),
    # The reference's resume: a fresh AdamW, lr continues at update resume_step.
    dict(name="resumed_fresh_adamw", lr=1e-3, weight_decay=0.0, gradient_clipping=-1.0,
         learning_steps=10, resume_step=4, ema_rates=[0.99],
         grad_scales=[1.0, 1.0, 1.0, 1.0]),
]


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def run(sc, gen):
    params = []
    for name, shape, _ in SHAPES:
        p = torch.randn(shape, generator=gen, dtype=torch.float32)
        params.append(torch.nn.Parameter(p))
    out = dict(
        name=sc["name"], lr=sc["lr"], weight_decay=sc["weight_decay"],
        gradient_clipping=sc["gradient_clipping"], learning_steps=sc["learning_steps"],
        resume_step=sc["resume_step"], ema_rates=sc["ema_rates"], betas=[0.9, 0.999], eps=1e-8,
        params=[dict(name=n, shape=list(s), value=flat(p)) for (n, s, _), p in zip(SHAPES, params)],
        steps=[],
    )
    opt = torch.optim.AdamW(params, lr=sc["lr"], betas=(0.9, 0.999), eps=1e-8,
                            weight_decay=sc["weight_decay"])
    emas = [[p.detach().clone() for p in params] for _ in sc["ema_rates"]]
    for s, scale in enumerate(sc["grad_scales"]):
        grads = []
        for (name, shape, gscale), p in zip(SHAPES, params):
            g = torch.randn(shape, generator=gen, dtype=torch.float32) * (scale * gscale)
            if name == "word_embedding.weight":
                g[0].zero_()  # a row no token used this step: zero gradient
            grads.append(g)
            p.grad = g.clone()
        rec = dict(grads=[flat(g) for g in grads])
        # 4.2: clip, log the (clipped) grad norm, anneal lr, AdamW, EMA.
        if sc["gradient_clipping"] > 0:
            total = torch.nn.utils.clip_grad_norm_(params, sc["gradient_clipping"])
            rec["pre_clip_norm"] = float(total)
        sqsum = 0.0
        for p in params:
            sqsum += (p.grad ** 2).sum().item()
        rec["grad_norm"] = math.sqrt(sqsum)
        frac_done = (s + sc["resume_step"]) / sc["learning_steps"]
        lr = sc["lr"] * (1 - frac_done)
        for group in opt.param_groups:
            group["lr"] = lr
        rec["lr"] = lr
        opt.step()
        with torch.no_grad():
            for rate, ema in zip(sc["ema_rates"], emas):
                for e, p in zip(ema, params):
                    e.mul_(rate).add_(p, alpha=1 - rate)
        rec["value"] = [flat(p) for p in params]
        rec["exp_avg"] = [flat(opt.state[p]["exp_avg"]) for p in params]
        rec["exp_avg_sq"] = [flat(opt.state[p]["exp_avg_sq"]) for p in params]
        rec["ema"] = [[flat(e) for e in ema] for ema in emas]
        out["steps"].append(rec)
    return out


def main():
    gen = torch.Generator().manual_seed(20260101)
    doc = dict(
        generator="testdata/optim/gen.py",
        torch=torch.__version__,
        scenarios=[run(sc, gen) for sc in SCENARIOS],
    )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
