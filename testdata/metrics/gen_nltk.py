#!/usr/bin/python3
"""Expected values for metrics/ from NLTK 3.8 and NumPy (Debian packages).

Writes nltk.json (compact). Run from anywhere with Debian's interpreter:

    /usr/bin/python3 testdata/metrics/gen_nltk.py

Sections (all strings are raw: Go must split them itself, like str.split()):
  bleu:  sentence_bleu([r.split() for r in refs], hyp.split(),
                       smoothing_function=SmoothingFunction().method4)
         with dist-1 and len(hyp.split(' ')) of the hypothesis
  sets:  one line's candidates (one per seed) with the eval script's
         self-BLEU (np.mean over pairs a<b of BLEU(hyp=c[a], ref=c[b])),
         div-4 (pooled distinct 4-grams) and MBR choice
         (np.argmax(np.sum(M, -1)) with M[a][b] = BLEU(hyp=c[a], ref=c[b]),
         diagonal zeroed)
  clean: raw decode lines cleaned as eval_seq2seq.py does (default bert
         specials), with the per-line BLEU
  numpy: float64 arrays with np.sum and np.mean
  cr:    log and exp arguments of the kinds BLEU uses, with their correctly
         rounded values from decimal at 60 digits (glibc's math.log/exp
         agree except in rare near-midpoint cases, see docs/metrics.md)
The generator is seeded; re-running it reproduces the file byte for byte.
"""
import decimal
import json
import os
import random
import sys
import warnings

import nltk
import numpy as np
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

warnings.simplefilter("ignore")  # NLTK warns on some zero counts; values are what matter
SMOOTH = SmoothingFunction().method4
rng = random.Random(20261127)

WORDS = ["a", "the", "man", "woman", "dog", "is", "are", "in", "on", "of", "with",
         "red", "blue", "two", "people", "street", "walking", ".", ",", "?", "'s",
         "straße", "schön", "ünïcödé", "日本", "naïve", "x", "y", "[UNK]", "a\u200bb",
         "don't", "3.5", "--", "&apos;"]
OTHER = ["zebra", "quantum", "kettle", "violin", "orchid", "granite", "ξ", "ß"]
# Mostly plain spaces; sometimes other separators Python's str.split() knows
# (including U+001C..U+001F, which Go's unicode.IsSpace does not).
SEPS = [" "] * 30 + ["  ", "\t", "\n", "\x1c", "\x1f", "\xa0", "\u3000", "\u2003", "\x85", "\u2028"]


def bleu(hyp, ref):
    return sentence_bleu([ref.split()], hyp.split(), smoothing_function=SMOOTH)


def join(tokens):
    out = ""
    for i, t in enumerate(tokens):
        out += (rng.choice(SEPS) if i else "") + t
    if rng.random() < 0.1:
        out = rng.choice(SEPS) + out + rng.choice(SEPS)
    return out


def rand_len():
    return rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5]) if rng.random() < 0.35 else rng.randint(6, 30)


def rand_tokens(n, pool):
    return [rng.choice(pool) for _ in range(n)]


def perturb(tokens, pool):
    t = list(tokens)
    for _ in range(rng.randint(0, 4)):
        op = rng.random()
        if op < 0.3 and t:
            del t[rng.randrange(len(t))]
        elif op < 0.6:
            t.insert(rng.randint(0, len(t)), rng.choice(pool))
        elif op < 0.8 and len(t) > 1:
            i, j = rng.randrange(len(t)), rng.randrange(len(t))
            t[i], t[j] = t[j], t[i]
        elif t:
            t[rng.randrange(len(t))] = rng.choice(pool)
    return t


def bleu_case():
    pool = rng.sample(WORDS, rng.randint(2, len(WORDS)))
    hyp = rand_tokens(rand_len(), pool)
    refs = []
    for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 4)):
        mode = rng.random()
        if mode < 0.4:
            ref = perturb(hyp, pool)
        elif mode < 0.6:
            ref = rand_tokens(rand_len(), pool)
        elif mode < 0.7:
            ref = rand_tokens(rand_len(), OTHER)  # no overlap
        elif mode < 0.8:
            ref = [rng.choice(pool)] * rng.randint(1, 8)  # repeated n-grams
        else:
            ref = perturb(rand_tokens(rand_len(), pool), pool)
        refs.append(ref)
    if not any(refs):
        refs[0] = ["a"]  # NLTK needs a non-empty reference list, not non-empty references
    h = join(hyp)
    rs = [join(r) for r in refs]
    value = sentence_bleu([r.split() for r in rs], h.split(), smoothing_function=SMOOTH)
    toks = h.split()
    dist1 = len(set(toks)) / len(toks) if toks else 0
    return {"h": h, "r": rs, "b": value, "d1": dist1, "len": len(h.split(" "))}


def distinct_inter(sentences, n):
    grams = []
    for s in sentences:
        grams += list(nltk.ngrams(s.split(), n))
    return len(set(grams)) / len(grams) if grams else 0


def set_case():
    pool = rng.sample(WORDS, rng.randint(3, len(WORDS)))
    base = rand_tokens(rng.randint(0, 25), pool)
    cands = []
    for _ in range(rng.randint(1, 10)):
        r = rng.random()
        if r < 0.2 and cands:
            cands.append(rng.choice(cands))  # exact duplicate: ties
        elif r < 0.3:
            cands.append("")
        else:
            cands.append(" ".join(perturb(base, pool)))
    pairs = [bleu(cands[a], cands[b]) for a in range(len(cands)) for b in range(a + 1, len(cands))]
    self_bleu = float(np.mean(pairs if pairs else [0]))
    m = [[bleu(ca, cb) for cb in cands] for ca in cands]
    for a in range(len(cands)):
        m[a][a] = 0
    choice = int(np.argmax(np.sum(m, -1)))
    return {"c": cands, "sb": self_bleu, "d4": distinct_inter(cands, 4), "mbr": choice}


def clean_case():
    pool = rng.sample(WORDS, rng.randint(3, len(WORDS)))
    ref = rand_tokens(rng.randint(0, 15), pool)
    rec = perturb(ref, pool) + ["[PAD]"] * rng.randint(0, 3)
    raw = {
        "source": " [CLS] " + " ".join(rand_tokens(rng.randint(0, 10), pool)) + " [SEP] ",
        "reference": "[CLS] " + " ".join(ref) + " [SEP]",
        "recover": rng.choice(["", " ", "\t"]) + "[CLS] " + " ".join(rec) + " [SEP]" + rng.choice(["", " [SEP]", "\n"]),
    }
    src = raw["source"].strip().replace("[SEP]", "").replace("[CLS]", "")
    refc = raw["reference"].strip().replace("[SEP]", "").replace("[CLS]", "").replace("[SEP]", "")
    recc = raw["recover"].strip()
    for tok in ["[SEP]", "[CLS]", "[SEP]", "[PAD]"]:
        recc = recc.replace(tok, "")
    return {"raw": raw, "source": src, "reference": refc, "recover": recc, "b": bleu(recc, refc),
            "len": len(recc.split(" "))}


def numpy_case():
    n = rng.choice([1, 2, 7, 8, 9, 15, 16, 17, 100, 128, 129, 136, 257, 300]) if rng.random() < 0.5 else rng.randint(1, 150)
    xs = [rng.random() * 10.0 ** rng.randint(-8, 8) for _ in range(n)]
    return {"x": xs, "sum": float(np.sum(xs)), "mean": float(np.mean(xs))}


def cr_cases():
    decimal.getcontext().prec = 60
    logs, exps = [], []
    for _ in range(3000):
        a = rng.randint(1, 300)
        logs.append(a / rng.randint(a, 300))  # BLEU precisions
    logs += [float(n) for n in range(2, 200)]  # method4's ln(hyp_len)
    logs += [rng.random() * 10.0 ** rng.randint(-6, 3) for _ in range(500)]
    for _ in range(3000):
        exps.append(-rng.random() * rng.choice([1, 10, 40]))  # fsum of weighted logs
    exps += [1 - rng.randint(1, 60) / rng.randint(1, 60) for _ in range(500)]  # brevity penalty
    exps = [x for x in exps if x <= 1]
    return {"log": [[x, float(decimal.Decimal(x).ln())] for x in logs],
            "exp": [[x, float(decimal.Decimal(x).exp())] for x in exps]}


def main():
    out = {
        "about": "Generated by gen_nltk.py with NLTK %s and NumPy %s; see README.md." % (nltk.__version__, np.__version__),
        "versions": {"nltk": nltk.__version__, "numpy": np.__version__, "python": sys.version.split()[0]},
        "bleu": [bleu_case() for _ in range(4000)],
        "sets": [set_case() for _ in range(600)],
        "clean": [clean_case() for _ in range(300)],
        "numpy": [numpy_case() for _ in range(100)],
        "cr": cr_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nltk.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
