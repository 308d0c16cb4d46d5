package generate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/train"
)

// MeanEmbedFile is the sidecar of a DiffuSeq-v2 run with
// learned_mean_embed (train.V2Trainer.SaveMeanEmbed): the absorbing
// state m (d), live ("mean_embed") and per EMA rate
// ("ema_RATE.mean_embed").
const MeanEmbedFile = "mean_embed.safetensors"

// loadMeanEmbed reads m for the chosen weights from path, or from
// dir/MeanEmbedFile when path is "" and that file exists (nil, nil when
// it does not: a v1 model). weights "live" takes "mean_embed", "ema_RATE"
// its EMA, "ema" the first rate of the run's ema_rate (trainConfig).
func loadMeanEmbed(path, dir, weights, trainConfig string) ([]float32, error) {
	if path == "" {
		path = filepath.Join(dir, MeanEmbedFile)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mean_embed: %w", err)
	}
	key := train.MeanEmbedName
	if weights != "live" {
		suffix := "." + train.MeanEmbedName
		var rates []string
		for _, n := range f.Names() {
			if rest, ok := strings.CutPrefix(n, "ema_"); ok && strings.HasSuffix(rest, suffix) {
				rates = append(rates, strings.TrimSuffix(rest, suffix))
			}
		}
		key = ""
		for _, r := range trainingOrder(rates, trainConfig) {
			if weights == "ema" || weights == "ema_"+r {
				key = "ema_" + r + suffix
				break
			}
		}
		if key == "" && len(rates) == 0 {
			return nil, fmt.Errorf("%s: no %q mean_embed (the file has no EMA copies; use the live weights)", path, weights)
		}
		if key == "" {
			return nil, fmt.Errorf("%s: no %q mean_embed (EMA rates: %s)", path, weights, strings.Join(rates, ", "))
		}
	}
	m, _, err := f.Float32(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return m, nil
}
