package diffuseq

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Config selects the process the reference builds in
// create_model_and_diffusion (the defaults are the paper's).
type Config struct {
	DiffusionSteps    int    // K₀ (2000)
	NoiseSchedule     string // "sqrt"
	TimestepRespacing string // "" keeps all K₀ steps; "10" or "ddim50" or "5,5" respaces
	RescaleTimesteps  bool   // true: the network sees t·1000/K₀
}

// DefaultConfig is the paper/config.json setting: 2000 steps, sqrt
// schedule, no respacing, rescaled timesteps.
func DefaultConfig() Config {
	return Config{DiffusionSteps: 2000, NoiseSchedule: ScheduleSqrt, RescaleTimesteps: true}
}

// New builds the diffusion the reference uses: always a SpacedDiffusion.
// With no respacing every step is kept, but the betas are still recomputed
// from ᾱ (β_t = 1 − ᾱ_t/ᾱ_{t−1}), which changes them by float64 round-off
// only; that recomputed process is what training and sampling use.
func New(cfg Config) (*Diffusion, error) {
	betas, err := NamedBetaSchedule(cfg.NoiseSchedule, cfg.DiffusionSteps)
	if err != nil {
		return nil, err
	}
	base, err := NewDiffusion(betas, cfg.RescaleTimesteps)
	if err != nil {
		return nil, err
	}
	sections := cfg.TimestepRespacing
	if sections == "" {
		sections = strconv.Itoa(cfg.DiffusionSteps)
	}
	keep, err := SpaceTimesteps(cfg.DiffusionSteps, sections)
	if err != nil {
		return nil, err
	}
	return base.Respace(keep)
}

// Respace returns the process that visits only the kept original steps
// (reference SpacedDiffusion): walking the base ᾱ in order, each kept step
// k gets β'_k = 1 − ᾱ_{keep_k}/ᾱ_{keep_{k−1}} (with 1 before the first kept
// step), so ᾱ' at kept step k equals the base ᾱ at keep_k. TimestepMap
// records keep, so the network is still fed original indices. keep must be
// sorted, distinct and inside [0, K₀).
func (d *Diffusion) Respace(keep []int) (*Diffusion, error) {
	if len(keep) < 2 {
		return nil, fmt.Errorf("diffuseq: respacing must keep at least 2 steps, got %d", len(keep))
	}
	for i, k := range keep {
		if k < 0 || k >= d.NumTimesteps || (i > 0 && k <= keep[i-1]) {
			return nil, fmt.Errorf("diffuseq: respacing steps %v must be increasing and inside [0, %d)", keep, d.NumTimesteps)
		}
	}
	last := 1.0
	betas := make([]float64, 0, len(keep))
	j := 0
	for i, ac := range d.AlphasCumprod {
		if j < len(keep) && keep[j] == i {
			betas = append(betas, 1-ac/last)
			last = ac
			j++
		}
	}
	s, err := NewDiffusion(betas, d.RescaleTimesteps)
	if err != nil {
		return nil, err
	}
	s.OriginalNumSteps = d.OriginalNumSteps
	s.TimestepMap = make([]int, len(keep))
	for i, k := range keep {
		s.TimestepMap[i] = d.TimestepMap[k]
	}
	return s, nil
}

// SpaceTimesteps is the reference's space_timesteps(K₀, sections): the
// sorted original steps to keep.
//
//   - "ddimN": the smallest integer stride s ≥ 1 with |range(0, K₀, s)| = N;
//     keep 0, s, 2s, …
//   - "c1,c2,…": split 0..K₀−1 into len(c) contiguous chunks (the first
//     K₀ mod len(c) chunks one step longer); in a chunk of size n wanting c
//     steps, stride = 1 if c ≤ 1 else (n−1)/(c−1), and keep
//     start + round(x_j) with x_0 = 0, x_{j+1} = x_j + stride (accumulated
//     as the reference does; round is Python's round-half-to-even).
//
// Example: SpaceTimesteps(2000, "10") = 0, 222, 444, 666, 888, 1111, 1333,
// 1555, 1777, 1999.
func SpaceTimesteps(steps int, sections string) ([]int, error) {
	if rest, ok := strings.CutPrefix(sections, "ddim"); ok {
		want, err := strconv.Atoi(rest)
		if err != nil {
			return nil, fmt.Errorf("diffuseq: timestep_respacing %q: %v", sections, err)
		}
		for s := 1; s < steps; s++ {
			if (steps+s-1)/s == want {
				keep := make([]int, 0, want)
				for i := 0; i < steps; i += s {
					keep = append(keep, i)
				}
				return keep, nil
			}
		}
		return nil, fmt.Errorf("diffuseq: timestep_respacing %q: cannot create exactly %d steps with an integer stride", sections, want)
	}
	var counts []int
	for f := range strings.SplitSeq(sections, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 0 {
			return nil, fmt.Errorf("diffuseq: timestep_respacing %q: bad section count %q", sections, f)
		}
		counts = append(counts, c)
	}
	sizePer, extra := steps/len(counts), steps%len(counts)
	start := 0
	set := map[int]bool{}
	for i, c := range counts {
		size := sizePer
		if i < extra {
			size++
		}
		if size < c {
			return nil, fmt.Errorf("diffuseq: timestep_respacing %q: cannot divide a section of %d steps into %d", sections, size, c)
		}
		stride := 1.0
		if c > 1 {
			stride = float64(size-1) / float64(c-1)
		}
		x := 0.0
		for range c {
			set[start+int(math.RoundToEven(x))] = true
			x += stride
		}
		start += size
	}
	keep := make([]int, 0, len(set))
	for k := range set {
		keep = append(keep, k)
	}
	slices.Sort(keep)
	return keep, nil
}
