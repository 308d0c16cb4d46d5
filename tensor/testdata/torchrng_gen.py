# Writes torchrng.json, the expectations of tensor's TorchRNG tests, from
# PyTorch's CPU generator. Run from this folder with an interpreter that has
# torch (Debian: apt-get install python3-torch; /usr/bin/python3):
#   /usr/bin/python3 torchrng_gen.py > torchrng.json
import json, torch

def f32(t):
    return [float(v) for v in t.reshape(-1).tolist()]

out = {"torch": torch.__version__, "cases": []}
# One stream per case; every step records the call and its values.
torch.manual_seed(5489)
out["cases"].append({"seed": 5489, "steps": [
    {"op": "int64", "n": 3, "values": [int(v) for v in torch.empty(3, dtype=torch.int64).random_().tolist()]},
]})
torch.manual_seed(7)
out["cases"].append({"seed": 7, "steps": [
    {"op": "uniform", "n": 37, "from": -0.3, "to": 0.7, "values": f32(torch.empty(37).uniform_(-0.3, 0.7))},
    {"op": "int64", "n": 1, "values": [int(torch.empty((), dtype=torch.int64).random_().item())]},
]})
torch.manual_seed(1234)
steps = []
for n, mean, std in [(5, 0.0, 1.0), (3, 0.5, 2.0), (16, 0.0, 1.0), (37, -1.0, 0.5), (800, 0.0, 1.0)]:
    steps.append({"op": "normal", "n": n, "mean": mean, "std": std, "values": f32(torch.empty(n).normal_(mean, std))})
for i, o in [(16, 50), (6, 37)]:  # kaiming_uniform_(a=√5) weight, then U(±1/√in) bias
    lin = torch.nn.Linear(i, o)
    steps.append({"op": "linear", "in": i, "out": o, "values": f32(lin.weight.detach()) + f32(lin.bias.detach())})
steps.append({"op": "int64", "n": 1, "values": [int(torch.empty((), dtype=torch.int64).random_().item())]})
out["cases"].append({"seed": 1234, "steps": steps})
print(json.dumps(out))
