# Writes torch_mean_embed.json: DiffuSeq-v2's mean_embed initialisation
# (diffuseq-v2 branch, TransformerNetModel.__init__) replayed on PyTorch:
#   self.mean_embed = nn.Parameter(th.randn(input_dims))
#   nn.init.normal_(self.mean_embed, mean=0, std=input_dims ** -0.5)
# Run with an interpreter that has torch (Debian python3-torch):
#   /usr/bin/python3 torch_mean_embed_gen.py > torch_mean_embed.json
import json, torch
out = {"torch": torch.__version__, "cases": []}
for seed, d in [(5, 16), (6, 37), (7, 128)]:
    torch.manual_seed(seed)
    m = torch.nn.Parameter(torch.randn(d))
    torch.nn.init.normal_(m, mean=0, std=d ** -0.5)
    nxt = int(torch.empty((), dtype=torch.int64).random_().item())
    out["cases"].append({"seed": seed, "d": d, "values": m.detach().tolist(), "next_int64": nxt})
print(json.dumps(out))
