#!/usr/bin/python3
"""Writes the .pt files and expectations used by torchpt and `diffuseq import` tests.

Run from this directory with Debian's python3-torch:

    /usr/bin/python3 gen.py /path/to/shared/fixtures/diffuseq-tiny.safetensors

Go tests only read the outputs; they never run this script. See README.md.
"""
import collections
import json
import os
import struct
import sys

import torch

torch.manual_seed(20261127)


def read_safetensors(path):
    """Minimal safetensors reader (Debian has no safetensors package)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name, e in header.items():
            if name == "__metadata__":
                continue
            b, end = e["data_offsets"]
            f.seek(base + b)
            raw = bytearray(f.read(end - b))
            dt = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}[e["dtype"]]
            out[name] = torch.frombuffer(raw, dtype=dt).reshape(e["shape"]).clone() if raw else torch.zeros(e["shape"], dtype=dt)
        return out


def write_safetensors(path, tensors, metadata):
    """Minimal safetensors writer: F32 only, names sorted."""
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().to(torch.float32)
        b = t.numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


# Order of TransformerNetModel.state_dict(): the top module's buffer
# position_ids, then the children in registration order (reference 2.7).
CHILD_ORDER = ["word_embedding", "lm_head", "time_embed", "input_up_proj", "input_transformers",
               "position_embeddings", "LayerNorm", "output_down_proj"]


def model_order(names):
    def key(n):
        if n == "position_ids":
            return (-1, "")
        return (CHILD_ORDER.index(n.split(".")[0]), "")
    # stable sort keeps each child's own (sorted-by-fixture) order; fix the
    # within-module order so weight precedes bias as PyTorch registers them
    return sorted(names, key=lambda n: (key(n)[0], layer_key(n)))


def layer_key(n):
    parts = n.split(".")
    out = []
    for p in parts:
        out.append((0, int(p), "") if p.isdigit() else (1, 0, {"weight": "0", "bias": "1"}.get(p, p)))
    return out


def with_metadata(sd, names):
    # state_dict() carries per-module versions in _metadata; torch.save
    # pickles it with BUILD, which the Go reader must accept and ignore.
    md = collections.OrderedDict([("", {"version": 1})])
    for n in names:
        md[n.rsplit(".", 1)[0]] = {"version": 1}
    sd._metadata = md
    return sd


def tiny_model(fixture):
    """(a) the official tiny model as a state dict, tied lm_head.weight."""
    params = {k[len("param/"):]: v for k, v in fixture.items() if k.startswith("param/")}
    emb = params["word_embedding.weight"]
    assert torch.equal(params["lm_head.weight"], emb)
    sd = collections.OrderedDict()
    for n in model_order(params):
        # tied: the very same tensor object under both names, as PyTorch has it
        sd[n] = emb if n in ("word_embedding.weight", "lm_head.weight") else params[n]
    torch.save(with_metadata(sd, sd.keys()), "diffuseq-tiny-model.pt")
    return sd


def tiny_ema(sd):
    """EMA file as the reference train loop writes it (reference 2.8):
    live state_dict() with every named_parameters() entry replaced by its
    EMA copy (nn.Parameter). named_parameters() yields the tied matrix only
    as word_embedding.weight, so lm_head.weight stays the raw matrix."""
    ema = collections.OrderedDict()
    expected = {}
    for n, t in sd.items():
        if n in ("position_ids", "lm_head.weight"):
            ema[n] = t
            expected[n] = t
            continue
        e = torch.nn.Parameter(t + 0.01 * torch.randn(t.shape))
        ema[n] = e
        expected[n] = e
    torch.save(with_metadata(ema, ema.keys()), "diffuseq-tiny-ema.pt")
    # expectations: every tensor as float32 (position_ids included as float;
    # 0..511 is exact)
    write_safetensors("diffuseq-tiny-ema.expected.safetensors",
                      {n: v.detach().to(torch.float32) for n, v in expected.items()},
                      {"what": "values of diffuseq-tiny-ema.pt, written by gen.py"})


def edge_cases():
    """(b) layouts and dtypes a reader must get right."""
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8 - 1
    sd = collections.OrderedDict()
    sd["contig"] = base
    sd["same_object"] = base                       # BINGET of the same tensor
    sd["transposed"] = base.t()                    # (6, 4), strides (1, 6)
    sd["offset_view"] = base.view(-1)[5:17]        # shares base's storage, offset 5
    sd["strided_slice"] = base[1:4:2, ::3]         # (2, 2), strides (12, 3), offset 6
    sd["permuted3d"] = torch.arange(60, dtype=torch.float64).reshape(3, 4, 5).permute(2, 0, 1)
    sd["expanded"] = torch.tensor([1.5, -2.5, 4.0]).expand(2, 3)  # stride 0
    sd["f16"] = torch.tensor([1.0, -2.0, 0.1, 65504.0, 6e-8, float("inf")], dtype=torch.float16)
    sd["bf16"] = torch.tensor([1.0, -3.140625, 1e30, 0.1], dtype=torch.bfloat16)
    sd["f64"] = torch.tensor([[1.0 / 3, -1e-300], [2.5, 1e300]], dtype=torch.float64)
    sd["i64"] = torch.tensor([0, -1, 2**62, -(2**63)], dtype=torch.int64)
    sd["i32"] = torch.tensor([7, -7], dtype=torch.int32)
    sd["u8"] = torch.tensor([0, 255], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["empty"] = torch.zeros(0, 4)
    sd["scalar"] = torch.tensor(3.25)
    sd["param"] = torch.nn.Parameter(torch.tensor([[0.5, 0.25]]))  # _rebuild_parameter
    torch.save(with_metadata(sd, ["x.weight"]), "edge.pt")

    expected = []
    for n, t in sd.items():
        t = t.detach()
        if t.is_floating_point():  # exact, and JSON-safe for inf: float.hex strings
            vals = [float(v).hex() for v in t.to(torch.float64).reshape(-1).tolist()]
        else:
            vals = t.to(torch.int64).reshape(-1).tolist()
        expected.append({"name": n, "dtype": str(t.dtype).replace("torch.", ""),
                         "shape": list(t.shape), "values": vals})
    with open("edge.expected.json", "w") as f:
        json.dump(expected, f, indent=0)
        f.write("\n")

    # Wrapped: a training-script style dict holding the state dict.
    small = collections.OrderedDict([("w", torch.ones(2, 2)), ("b", torch.zeros(2))])
    torch.save({"epoch": 3, "lr": 1e-4, "model": small, "note": "wrapped"}, "wrapped.pt")


class Evil:
    """A pickle that would run a shell command under torch.load(weights_only=False)."""
    def __reduce__(self):
        return (os.system, ("echo this must never run",))


def hostile():
    torch.save(collections.OrderedDict([("w", torch.ones(1)), ("evil", Evil())]), "evil.pt")
    torch.save(collections.OrderedDict([("w", torch.ones(3))]), "legacy.pt",
               _use_new_zipfile_serialization=False)


def values_pickles():
    """Plain pickles (no torch) exercising every opcode the Go machine
    accepts, at protocols 2 and 4, with the value as JSON beside them."""
    import pickle
    ints = [0, 1, 255, 256, 65535, 65536, -1, -256, 2**31 - 1, -2**31, 2**31, 2**40, -2**40,
            2**63 - 1, -2**63, 128, -129, 32768]
    shared = ["shared", 1]
    value = collections.OrderedDict([
        ("ints", ints),
        ("floats", [0.0, -1.5, 1e-300, 3.141592653589793]),
        ("strs", ["", "ascii", "grüße ✓", "x" * 300]),
        ("consts", [None, True, False]),
        ("tuples", [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)]),
        ("nested", {"a": {"b": [1, {"c": None}]}, "n": 5, "": "empty key"}),
        ("shared", [shared, shared]),  # memo: BINGET of the same list
        ("int_keys", {1: "one", -2: "minus two"}),
        ("single", [7]),  # APPEND
    ])
    expected = json.loads(json.dumps(value))  # tuples become lists, int keys strings
    for proto in (2, 4):
        with open(f"values{proto}.pkl", "wb") as f:
            f.write(pickle.dumps(value, protocol=proto))
    with open("values.expected.json", "w") as f:
        json.dump(expected, f)
        f.write("\n")
    # a torch.save at protocol 4 (SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, FRAME)
    torch.save({"model": collections.OrderedDict([("w", torch.arange(6.0).reshape(2, 3).t())])},
               "proto4.pt", pickle_protocol=4)


def main():
    fixture = read_safetensors(sys.argv[1])
    sd = tiny_model(fixture)
    tiny_ema(sd)
    edge_cases()
    hostile()
    values_pickles()
    with open("versions.json", "w") as f:
        json.dump({"torch": torch.__version__, "python": sys.version.split()[0]}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
