package synth

import (
	"fmt"
	"strings"

	"github.com/diffuseq-go/diffuseq/tensor"
)

// Config sizes the generated corpus.
type Config struct {
	Seed                           uint64
	TrainSize, ValidSize, TestSize int
}

// DefaultConfig is the corpus `diffuseq demo` trains on.
func DefaultConfig() Config {
	return Config{Seed: 1, TrainSize: 20000, ValidSize: 500, TestSize: 200}
}

// Example is one line of a split, the reference's {"src", "trg"} record.
type Example struct {
	Src string `json:"src"`
	Trg string `json:"trg"`
}

// Corpus is the three splits of the demo task. No source occurs twice in
// the whole corpus, so valid and test sources are never seen in training.
type Corpus struct {
	Train, Valid, Test []Example
}

// distinctSources counts the possible sources: 2·10·12·8·2·10·12 = 460,800
// group choices (determiners, adjectives, nouns, verb, ...) times 2⁵ choices
// of group member for the five content words.
const distinctSources = 2 * 10 * 12 * 8 * 2 * 10 * 12 * 32

// Generate draws a corpus deterministically from cfg.Seed: the same
// config gives the same files on every machine.
func Generate(cfg Config) (Corpus, error) {
	n := cfg.TrainSize + cfg.ValidSize + cfg.TestSize
	if cfg.TrainSize < 0 || cfg.ValidSize < 0 || cfg.TestSize < 0 {
		return Corpus{}, fmt.Errorf("synth: negative split size in %+v", cfg)
	}
	if n > distinctSources/4 {
		return Corpus{}, fmt.Errorf("synth: %d examples requested; the task has only %d distinct sources, keep it under %d", n, distinctSources, distinctSources/4)
	}
	rng := tensor.NewRNG(cfg.Seed)
	seen := make(map[string]bool, n)
	all := make([]Example, 0, n)
	for len(all) < n {
		s := sentence{
			det1: rng.Intn(2), adj1: rng.Intn(len(adjectives)), noun1: rng.Intn(len(nouns)),
			verb: rng.Intn(len(verbs)),
			det2: rng.Intn(2), adj2: rng.Intn(len(adjectives)), noun2: rng.Intn(len(nouns)),
		}
		src := s.source(rng)
		trg := s.target(rng)
		if seen[src] {
			continue
		}
		seen[src] = true
		all = append(all, Example{Src: src, Trg: trg})
	}
	return Corpus{
		Train: all[:cfg.TrainSize],
		Valid: all[cfg.TrainSize : cfg.TrainSize+cfg.ValidSize],
		Test:  all[cfg.TrainSize+cfg.ValidSize:],
	}, nil
}

// pick returns a uniformly chosen member of g.
func pick(rng *tensor.RNG, g group) string { return g[rng.Intn(len(g))] }

// source renders the sentence in the active voice, each content word a
// random member of its group.
func (s sentence) source(rng *tensor.RNG) string {
	return strings.Join([]string{
		determiners[s.det1], pick(rng, adjectives[s.adj1]), pick(rng, nouns[s.noun1]),
		pick(rng, verbs[s.verb]),
		determiners[s.det2], pick(rng, adjectives[s.adj2]), pick(rng, nouns[s.noun2]),
	}, " ")
}

// target renders one random correct passive paraphrase.
func (s sentence) target(rng *tensor.RNG) string {
	return strings.Join([]string{
		determiners[s.det2], pick(rng, adjectives[s.adj2]), pick(rng, nouns[s.noun2]),
		wordIs, pick(rng, participles[s.verb]), wordBy,
		determiners[s.det1], pick(rng, adjectives[s.adj1]), pick(rng, nouns[s.noun1]),
	}, " ")
}
