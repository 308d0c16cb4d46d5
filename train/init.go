package train

import (
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// The values of Config.Init.
const (
	InitNative = "native"
	InitTorch  = "torch"
)

// InitialModel builds the run's model before its first update.
//
// With Init "torch" the weights are the ones the official train.py starts
// from for the same seed (reference 4.7: set_seed, then data, then the
// model). Between torch.manual_seed and the model's constructor that
// script draws from PyTorch's generator three times: load_model_emb
// builds an nn.Embedding(V, d) (normal_ in its constructor) and fills it
// again with init.normal_ (a fresh run folder has no random_emb.torch),
// and next(data) starts a DataLoader iterator, whose base seed is one
// int64 random_ (two words). Training noise, dropout and the data order
// still come from this module's streams, so only the starting point is
// shared: it decides, for example, which words start with short
// embeddings (bench/attractors).
func InitialModel(cfg Config, mc model.Config) (*model.TransformerNetModel, error) {
	if cfg.Init != InitTorch {
		return model.New(mc, cfg.Seed)
	}
	g := tensor.NewTorchRNG(cfg.Seed)
	emb := mc.VocabSize * mc.HiddenDim
	g.SkipNormal(emb) // nn.Embedding(V, d) in load_model_emb
	g.SkipNormal(emb) // torch.nn.init.normal_(model.weight)
	g.Random64()      // DataLoader iterator: _base_seed = int64 random_()
	return model.NewWithTorchRNG(mc, g, cfg.Seed)
}
