# Writes torch_init.json for train's InitialModel test: the draws the
# official train.py makes before building the model (reference 4.7, code at
# Shark-NLP/DiffuSeq f78945d), replayed on PyTorch, then the model's first
# two modules. Run with an interpreter that has torch (Debian python3-torch):
#   /usr/bin/python3 torch_init_gen.py > torch_init.json
import json, torch
V, d, seed = 37, 6, 102  # V*d = 222: not a multiple of 16 (the redrawn tail)
torch.manual_seed(seed)
emb = torch.nn.Embedding(V, d)              # load_model_emb: constructor normal_
torch.nn.init.normal_(emb.weight)           # ... and init.normal_ (fresh run folder)
torch.empty((), dtype=torch.int64).random_() # next(data): DataLoader base seed
word = torch.nn.Embedding(V, d)              # TransformerNetModel.word_embedding
lm = torch.nn.Linear(d, V)                   # lm_head (weight replaced by the tie)
print(json.dumps({"torch": torch.__version__, "seed": seed, "vocab": V, "hidden_dim": d,
                  "word_embedding": word.weight.detach().reshape(-1).tolist(),
                  "lm_head_bias": lm.bias.detach().tolist()}))
