// Command attractors looks for rounding attractors in a trained run: words
// whose embedding lies so close to the centre of the embedding cloud that
// the sampler's nearest-neighbour rounding maps uncertain predictions of
// x̂0 onto them, so decoded text repeats them.
//
// Why it matters: at high t the model's x̂0 is close to a weighted mean of
// the plausible words' embeddings, and training pulls every frequent
// word's embedding towards such means. A frequent word that starts with an
// unusually short embedding (an unlucky draw of the N(0, I) init) ends up
// nearest to those means and wins the arg-min of most uncertain positions.
// Which word that is depends only on the seed's initial table, so it is
// shown for the run's own seed and, with --seeds, for others, before any
// training.
//
//	go run ./bench/attractors --run RUN [--decoded all.json] [--seeds 102,103,104]
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/metrics"
	"github.com/diffuseq-go/diffuseq/model"
	"github.com/diffuseq-go/diffuseq/text"
	"github.com/diffuseq-go/diffuseq/train"
)

func main() {
	run := flag.String("run", "", "run folder (checkpoint.safetensors, training_args.json, vocabulary)")
	weights := flag.String("weights", "live", "live or ema")
	top := flag.Int("top", 300, "consider the N most frequent target tokens of train.jsonl")
	show := flag.Int("show", 8, "rows to show")
	decoded := flag.String("decoded", "", "optional decoded file (reference json lines with recover/reference)")
	seeds := flag.String("seeds", "", "optional comma-separated seeds: the shortest initial embedding among the frequent tokens for each")
	flag.Parse()
	if err := attractors(os.Stdout, *run, *weights, *top, *show, *decoded, *seeds); err != nil {
		fmt.Fprintln(os.Stderr, "attractors:", err)
		os.Exit(1)
	}
}

func attractors(w io.Writer, run, weights string, top, show int, decoded, seedList string) error {
	if run == "" {
		return errors.New("--run is required")
	}
	cfg, err := train.LoadConfigFile(filepath.Join(run, "training_args.json"), train.DefaultConfig())
	if err != nil {
		return err
	}
	final, tok, err := train.LoadWeights(run, weights)
	if err != nil {
		return err
	}
	if tok == nil {
		return fmt.Errorf("%s: the checkpoint names no vocabulary", run)
	}
	initial, err := train.InitialModel(cfg, final.Config)
	if err != nil {
		return err
	}
	counts, err := targetCounts(filepath.Join(cfg.DataDir, "train.jsonl"), tok)
	if err != nil {
		return err
	}
	frequent := mostFrequent(counts, top)
	n0, nT := rowNorms(initial), rowNorms(final)
	r0, rT := ranks(n0), ranks(nT)

	fmt.Fprintf(w, "run %s (seed %d, %s init, %s weights); %d of %d tokens are the %d most frequent targets\n",
		run, cfg.Seed, initName(cfg.Init), weights, len(frequent), len(n0), top)
	fmt.Fprintf(w, "mean embedding norm: %.2f at init, %.2f now\n\n", mean(n0), mean(nT))
	fmt.Fprintln(w, "Frequent target tokens with the shortest embeddings now (rank 1 = shortest of the vocabulary):")
	fmt.Fprintln(w, "\n| token | count | init norm | init rank | norm now | rank now |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	byNow := append([]int(nil), frequent...)
	sort.Slice(byNow, func(a, b int) bool { return nT[byNow[a]] < nT[byNow[b]] })
	for _, id := range byNow[:min(show, len(byNow))] {
		s, _ := tok.Token(id)
		fmt.Fprintf(w, "| %s | %d | %.2f | %d | %.2f | %d |\n", s, counts[id], n0[id], r0[id], nT[id], rT[id])
	}

	if seedList != "" {
		fmt.Fprintf(w, "\nShortest initial embedding among the %d most frequent targets, by seed:\n\n", top)
		fmt.Fprintln(w, "| seed | token | count | init norm | init rank |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
		for _, f := range strings.Split(seedList, ",") {
			seed, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
			if err != nil {
				return fmt.Errorf("--seeds: %v", err)
			}
			other := cfg
			other.Seed = seed
			m, err := train.InitialModel(other, final.Config)
			if err != nil {
				return err
			}
			n := rowNorms(m)
			id := frequent[0]
			for _, j := range frequent {
				if n[j] < n[id] {
					id = j
				}
			}
			s, _ := tok.Token(id)
			fmt.Fprintf(w, "| %d | %s | %d | %.2f | %d |\n", seed, s, counts[id], n[id], ranks(n)[id])
		}
	}

	if decoded != "" {
		return outputShares(w, decoded, show)
	}
	return nil
}

// targetCounts counts the target tokens of a jsonl file (the wrapping
// start and end tokens excluded).
func targetCounts(path string, tok text.Tokenizer) (map[int]int, error) {
	r, err := data.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	counts := map[int]int{}
	for {
		ex, err := r.Next()
		if err == io.EOF {
			return counts, nil
		}
		if err != nil {
			return nil, err
		}
		ids := tok.Encode(ex.Trg)
		for _, id := range ids[1 : len(ids)-1] {
			counts[id]++
		}
	}
}

// mostFrequent returns the keys of the n largest counts, ties in key
// order.
func mostFrequent[K cmp.Ordered](counts map[K]int, n int) []K {
	keys := make([]K, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if counts[keys[a]] != counts[keys[b]] {
			return counts[keys[a]] > counts[keys[b]]
		}
		return keys[a] < keys[b]
	})
	return keys[:min(n, len(keys))]
}

// rowNorms is ‖E_v‖ for every row v of the word embedding.
func rowNorms(m *model.TransformerNetModel) []float64 {
	e, d := m.WordEmbedding.Data(), m.Config.HiddenDim
	out := make([]float64, len(e)/d)
	for v := range out {
		var s float64
		for _, x := range e[v*d : (v+1)*d] {
			s += float64(x) * float64(x)
		}
		out[v] = math.Sqrt(s)
	}
	return out
}

// ranks gives each entry its 1-based position in ascending order.
func ranks(x []float64) []int {
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return x[order[a]] < x[order[b]] })
	r := make([]int, len(x))
	for pos, i := range order {
		r[i] = pos + 1
	}
	return r
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// outputShares compares the most frequent decoded words with their share
// of the references (special tokens dropped).
func outputShares(w io.Writer, path string, show int) error {
	df, err := metrics.ReadDecodeFile(path)
	if err != nil {
		return err
	}
	rec, ref := map[string]int{}, map[string]int{}
	var nRec, nRef int
	for _, e := range df.Examples {
		nRec += countWords(rec, e.Recover)
		nRef += countWords(ref, e.Reference)
	}
	if nRec == 0 || nRef == 0 {
		return fmt.Errorf("%s: no words in recover or reference", path)
	}
	fmt.Fprintf(w, "\nMost frequent decoded words in %s (%d words decoded, %d in the references):\n\n", path, nRec, nRef)
	fmt.Fprintln(w, "| word | share of decoded words | share of reference words |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, s := range mostFrequent(rec, show) {
		fmt.Fprintf(w, "| %s | %.3f | %.3f |\n", s, float64(rec[s])/float64(nRec), float64(ref[s])/float64(nRef))
	}
	return nil
}

// countWords adds the whitespace words of s to c, skipping the special
// tokens the evaluation removes, and returns how many it added.
func countWords(c map[string]int, s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		switch f {
		case "[START]", "[END]", "[PAD]", "[CLS]", "[SEP]":
			continue
		}
		c[f]++
		n++
	}
	return n
}

func initName(s string) string {
	if s == "" {
		return train.InitNative
	}
	return s
}
