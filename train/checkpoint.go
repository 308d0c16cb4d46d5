package train

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/optim"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/text"
)

// Files of a run folder.
const (
	CheckpointFile = "checkpoint.safetensors" // everything needed to resume
	ArgsFile       = "training_args.json"     // the run's Config
	VocabFile      = "vocab.txt"              // a copy of the vocabulary
	checkpointKind = "diffuseq-train-v1"
)

// Metadata keys of a training checkpoint (besides model.MetaConfig).
const (
	metaKind        = "format"
	metaTrainConfig = "train_config"
	metaVocab       = "vocab_mode"
	metaStep        = "step"
	metaOptUpdate   = "optim_update"
	metaAdamStep    = "optim_adam_step"
	metaNoiseRNG    = "noise_rng"
	metaEvalRNG     = "eval_rng"
	metaDropoutRNG  = "dropout_rng"
	metaV2RNG       = "v2_rng"
	metaTrainLoader = "train_loader"
	metaValidLoader = "valid_loader"
	metaSampler     = "sampler"
	optPrefix       = "optim/"
	samplerHistory  = "sampler/history"
	samplerCounts   = "sampler/counts"
)

// Save writes the full training state to dir/checkpoint.safetensors
// atomically (temporary file, fsync, rename): a crash at any moment leaves
// either the previous checkpoint or the new one, never a torn file.
func (tr *Trainer) Save(dir string, vocabMode string) error {
	tensors := tr.Model.StateDict()
	st := tr.Opt.State()
	for _, p := range tr.params {
		for _, key := range []string{optim.KeyExpAvg + p.Name, optim.KeyExpAvgSq + p.Name} {
			tensors = append(tensors, safetensors.F32(optPrefix+key, []int{len(p.Value)}, st.Tensors[key]))
		}
		for _, e := range tr.Opt.EMAs() {
			key := optim.EMAKey(e, p.Name)
			tensors = append(tensors, safetensors.F32(optPrefix+key, []int{len(p.Value)}, st.Tensors[key]))
		}
	}
	meta := map[string]string{
		metaKind:         checkpointKind,
		model.MetaConfig: tr.Model.Config.JSON(),
		model.MetaTied:   "lm_head.weight=word_embedding.weight",
		metaTrainConfig:  mustJSON(tr.Cfg),
		metaVocab:        vocabMode,
		metaStep:         strconv.Itoa(tr.step),
		metaOptUpdate:    strconv.Itoa(st.Update),
		metaAdamStep:     strconv.Itoa(st.AdamStep),
		metaNoiseRNG:     strconv.FormatUint(tr.noiseRNG.State(), 10),
		metaEvalRNG:      strconv.FormatUint(tr.evalRNG.State(), 10),
		metaDropoutRNG:   strconv.FormatUint(tr.Model.DropoutRNG.State(), 10),
		metaV2RNG:        strconv.FormatUint(tr.v2RNG.State(), 10),
		metaSampler:      tr.Cfg.ScheduleSampler,
	}
	if tr.train != nil {
		meta[metaTrainLoader] = mustJSON(tr.train.State())
		meta[metaValidLoader] = mustJSON(tr.valid.State())
	}
	if tr.lossAware != nil {
		ls := tr.lossAware.State()
		k := len(ls.History)
		hist := make([]float64, 0, k*ls.HistoryPerTerm)
		counts := make([]int64, k)
		for i, h := range ls.History {
			hist = append(hist, h...)
			counts[i] = int64(ls.Counts[i])
		}
		tensors = append(tensors,
			safetensors.F64(samplerHistory, []int{k, ls.HistoryPerTerm}, hist),
			safetensors.I64(samplerCounts, []int{k}, counts))
		meta[metaSampler] = mustJSON(map[string]any{"kind": "lossaware", "history_per_term": ls.HistoryPerTerm, "uniform_prob": ls.UniformProb})
	}
	return safetensors.WriteFile(filepath.Join(dir, CheckpointFile), tensors, meta)
}

// Resume rebuilds a trainer from dir/checkpoint.safetensors, exactly where
// it stopped. The data folder comes from the saved config unless dataDir
// is given (the data may have moved).
func Resume(dir, dataDir string) (*Trainer, string, error) {
	path := filepath.Join(dir, CheckpointFile)
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	meta := f.Metadata()
	if meta[metaKind] != checkpointKind {
		return nil, "", fmt.Errorf("%s: not a diffuseq training checkpoint (format %q)", path, meta[metaKind])
	}
	bad := func(what string, err error) (*Trainer, string, error) {
		return nil, "", fmt.Errorf("%s: %s: %v", path, what, err)
	}
	var cfg Config
	if err := json.Unmarshal([]byte(meta[metaTrainConfig]), &cfg); err != nil {
		return bad(metaTrainConfig, err)
	}
	if dataDir != "" {
		cfg.DataDir = dataDir
	}
	vocabMode := meta[metaVocab]
	tok, err := text.Load(ResolveVocab(dir, vocabMode))
	if err != nil {
		return bad("vocabulary", err)
	}
	mc, err := model.ParseConfig(meta[model.MetaConfig])
	if err != nil {
		return bad("model config", err)
	}
	m, err := model.New(mc, cfg.Seed)
	if err != nil {
		return bad("model config", err)
	}
	if err := m.LoadStateDict(f, ""); err != nil {
		return bad("model", err)
	}
	tr, err := assemble(cfg, tok, m)
	if err != nil {
		return bad("training setup", err)
	}
	st := optim.State{Tensors: map[string][]float32{}}
	if st.Update, err = strconv.Atoi(meta[metaOptUpdate]); err != nil {
		return bad(metaOptUpdate, err)
	}
	if st.AdamStep, err = strconv.Atoi(meta[metaAdamStep]); err != nil {
		return bad(metaAdamStep, err)
	}
	for _, n := range f.Names() {
		if key, ok := strings.CutPrefix(n, optPrefix); ok {
			if st.Tensors[key], _, err = f.Float32(n); err != nil {
				return bad(n, err)
			}
		}
	}
	if err := tr.Opt.LoadState(st); err != nil {
		return bad("optimizer state", err)
	}
	if tr.step, err = strconv.Atoi(meta[metaStep]); err != nil {
		return bad(metaStep, err)
	}
	for key, rng := range map[string]interface{ SetState(uint64) }{metaNoiseRNG: tr.noiseRNG, metaEvalRNG: tr.evalRNG, metaDropoutRNG: tr.Model.DropoutRNG, metaV2RNG: tr.v2RNG} {
		if meta[key] == "" && key == metaV2RNG {
			continue // written before v2 support: the stream starts fresh
		}
		v, err := strconv.ParseUint(meta[key], 10, 64)
		if err != nil {
			return bad(key, err)
		}
		rng.SetState(v)
	}
	if tr.train != nil {
		for key, l := range map[string]*data.Loader{metaTrainLoader: tr.train, metaValidLoader: tr.valid} {
			var ls data.State
			if err := json.Unmarshal([]byte(meta[key]), &ls); err != nil {
				return bad(key, err)
			}
			if err := l.SetState(ls); err != nil {
				return bad(key, err)
			}
		}
	}
	if tr.lossAware != nil {
		hist, sh, err := f.Float64(samplerHistory)
		if err != nil {
			return bad(samplerHistory, err)
		}
		counts, _, err := f.Int64(samplerCounts)
		if err != nil {
			return bad(samplerCounts, err)
		}
		if len(sh) != 2 || sh[0] != len(counts) {
			return bad(samplerHistory, fmt.Errorf("shape %v with %d counts", sh, len(counts)))
		}
		ls := diffuseq.LossAwareState{HistoryPerTerm: sh[1], UniformProb: tr.lossAware.UniformProb}
		for i := range counts {
			ls.History = append(ls.History, hist[i*sh[1]:(i+1)*sh[1]])
			ls.Counts = append(ls.Counts, int(counts[i]))
		}
		if err := tr.lossAware.SetState(ls); err != nil {
			return bad("sampler state", err)
		}
	}
	return tr, vocabMode, nil
}

// LoadWeights loads a model from a run folder or a checkpoint file: the
// live weights ("live") or an EMA copy ("ema" = the first rate, or
// "ema_0.9999"). Files written by `diffuseq import` hold one set of
// weights and ignore the choice.
func LoadWeights(path, weights string) (*model.TransformerNetModel, text.Tokenizer, error) {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	} else {
		path = filepath.Join(path, CheckpointFile)
	}
	m, meta, err := model.Load(path)
	if err != nil {
		return nil, nil, err
	}
	var tok text.Tokenizer
	if mode, ok := meta[metaVocab]; ok {
		if tok, err = text.Load(ResolveVocab(dir, mode)); err != nil {
			return nil, nil, fmt.Errorf("%s: vocabulary: %v", path, err)
		}
	}
	if meta[metaKind] != checkpointKind || weights == "live" {
		return m, tok, nil
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	// Keys are optim/ema_<rate>.<param name>; both the rate ("0.9999")
	// and the names hold dots, so find the rates through a known name.
	// Rates are taken in the order of the run's ema_rate setting.
	var cfg Config
	if err := json.Unmarshal([]byte(meta[metaTrainConfig]), &cfg); err != nil {
		return nil, nil, fmt.Errorf("%s: %s: %v", path, metaTrainConfig, err)
	}
	rates, err := optim.ParseEMARates(cfg.EMARate)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: ema_rate: %v", path, err)
	}
	prefix := ""
	for _, r := range rates {
		p := optPrefix + "ema_" + strconv.FormatFloat(r, 'g', -1, 64) + "."
		if _, ok := f.Tensor(p + m.WordEmbedding.Name); ok && (weights == "ema" || "optim/"+weights+"." == p) {
			prefix = p
			break
		}
	}
	if prefix == "" {
		return nil, nil, fmt.Errorf("%s: no %q weights in the checkpoint", path, weights)
	}
	for _, p := range m.Params() {
		v, _, err := f.Float32(prefix + p.Name)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", path, err)
		}
		copy(p.Data(), v)
	}
	return m, tok, nil
}

// ResolveVocab turns a saved vocab mode ("bert:vocab.txt" or "vocab.txt")
// into a path inside dir.
func ResolveVocab(dir, mode string) string {
	if i := strings.Index(mode, ":"); i >= 0 {
		return mode[:i+1] + filepath.Join(dir, mode[i+1:])
	}
	return filepath.Join(dir, mode)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
