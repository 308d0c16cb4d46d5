package generate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/diffuseq"
	"github.com/diffuseq-go/diffuseq/tensor"
)

// A call resumed from any of its checkpoints decodes the remaining rows
// exactly as the uninterrupted call did.
func TestResumeMatchesUninterrupted(t *testing.T) {
	g := loadTiny(t)
	for _, opt := range []Options{
		{Seed: 7, Steps: 10, BatchSize: 2},
		{Seed: 8, BatchSize: 1, TopP: 1.5},
		{Seed: 9, Sampler: diffuseq.SamplerDPMSolver, BatchSize: 3},
		{Seed: 10, DDIM: true, Steps: 5, BatchSize: 2},
	} {
		t.Run(fmt.Sprintf("%+v", opt), func(t *testing.T) {
			var cps []Checkpoint
			var batches [][]Result
			rec := opt
			rec.AfterBatch = func(c Checkpoint, b []Result) error {
				cps = append(cps, c)
				batches = append(batches, b)
				return nil
			}
			full, err := g.Generate(context.Background(), testSources, rec)
			if err != nil {
				t.Fatal(err)
			}
			n := (len(testSources) + opt.BatchSize - 1) / opt.BatchSize
			if len(cps) != n || cps[n-1].Done != len(testSources) {
				t.Fatalf("checkpoints %+v, want %d ending at %d", cps, n, len(testSources))
			}
			for k, b := range batches {
				lo := cps[k].Done - len(b)
				if fmt.Sprint(b) != fmt.Sprint(full[lo:cps[k].Done]) {
					t.Fatalf("batch %d handed to AfterBatch differs from the result rows %d…", k, lo)
				}
			}
			for _, c := range cps {
				res := opt
				res.Resume = &c
				got, err := g.Generate(context.Background(), testSources, res)
				if err != nil {
					t.Fatal(err)
				}
				for i := range got {
					if i < c.Done {
						if got[i].Tokens != nil {
							t.Fatalf("resumed at %d: row %d decoded again", c.Done, i)
						}
						continue
					}
					if fmt.Sprint(got[i]) != fmt.Sprint(full[i]) {
						t.Fatalf("resumed at %d: row %d %q, uninterrupted %q", c.Done, i, got[i].Text, full[i].Text)
					}
				}
			}
		})
	}
}

// A resumed call must not silently draw from the wrong stream: the state
// matters (a wrong one changes the output) and bad resume points fail.
func TestResumeChecks(t *testing.T) {
	g := loadTiny(t)
	opt := Options{Seed: 3, Steps: 10, BatchSize: 2}
	var cps []Checkpoint
	opt.AfterBatch = func(c Checkpoint, _ []Result) error { cps = append(cps, c); return nil }
	full, err := g.Generate(context.Background(), testSources, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.AfterBatch = nil
	wrong := Checkpoint{Done: cps[0].Done, RNGState: cps[0].RNGState + 1}
	opt.Resume = &wrong
	got, err := g.Generate(context.Background(), testSources, opt)
	if err != nil {
		t.Fatal(err)
	}
	same := true
	for i := wrong.Done; i < len(got); i++ {
		same = same && got[i].Text == full[i].Text
	}
	if same {
		t.Fatal("resuming from a different RNG state gave the same rows")
	}
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{BatchSize: 2, Resume: &Checkpoint{Done: 3}}, "not the end of a batch"},
		{Options{BatchSize: 2, Resume: &Checkpoint{Done: 6}}, "has 5 rows"},
		{Options{BatchSize: 2, Resume: &Checkpoint{Done: -2}}, "has 5 rows"},
		{Options{BatchSize: 2, Resume: &Checkpoint{Done: 2}, Noise: tensor.NewRNG(1)}, "injected noise source"},
	} {
		if _, err := g.Generate(context.Background(), testSources, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("resume %+v: error %v, want %q", *c.opt.Resume, err, c.want)
		}
	}
	stop := errors.New("stop")
	opt = Options{Seed: 3, Steps: 10, BatchSize: 2, AfterBatch: func(Checkpoint, []Result) error { return stop }}
	if _, err := g.Generate(context.Background(), testSources, opt); !errors.Is(err, stop) {
		t.Fatalf("AfterBatch error: got %v", err)
	}
}

func TestWeightsDigest(t *testing.T) {
	a, b := loadTiny(t), loadTiny(t)
	if a.WeightsDigest() != b.WeightsDigest() {
		t.Fatal("the same weights gave two digests")
	}
	before := a.WeightsDigest()
	a.model.Params()[3].Data()[0] += 1e-6
	if a.WeightsDigest() == before {
		t.Fatal("changing one parameter kept the digest")
	}
}
