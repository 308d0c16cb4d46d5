package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/diffuseq-go/diffuseq/generate"
)

// A decode of a split is saved after every batch, so an interrupted one
// (a signal, a crash, a session's end) continues where it stopped when the
// same command is run again: with the full 2000-step sampler a batch of 50
// takes about a quarter of an hour on one core and a split several hours.
// Per seed, beside the final files, the output folder then holds
//
//	seedS_stepC.partial.jsonl  the finished rows, in the .samples.jsonl format
//	seedS_stepC.resume.json    sampleResume: where to continue and with what
//
// Both are written atomically, the rows first; the state names how many of
// them count. They are removed once the seed's final files are written.

// sampleSavedHook, if set (by tests), runs after every saved batch.
var sampleSavedHook func(ctx context.Context, done int)

// sampleResume is the saved state of one seed's decode.
type sampleResume struct {
	Settings sampleSettings `json:"settings"`
	Done     int            `json:"done"`           // rows decoded and saved
	RNGState uint64         `json:"rng_state"`      // generate.Checkpoint.RNGState
	Seconds  float64        `json:"decode_seconds"` // decoding time of all pieces
	Pieces   int            `json:"pieces"`         // runs that contributed
}

// sampleSettings are what decides the decoded rows; a saved decode is
// continued only when all of them agree.
type sampleSettings struct {
	Weights     string  `json:"weights_sha256"` // generate.Generator.WeightsDigest
	Input       string  `json:"input_sha256"`   // the rows' ids and masks
	Rows        int     `json:"rows"`
	Seed        uint64  `json:"seed"`
	BatchSize   int     `json:"bsz"`
	Sampler     string  `json:"sampler"`
	Steps       int     `json:"steps"`
	ClampStep   int     `json:"clamp_step"`
	TopP        float64 `json:"top_p"`
	DenoiseRate float64 `json:"denoise_rate"`
}

// resumePaths are the two partial files of one seed.
func resumePaths(dir string, clampStep int, seed uint64) (rows, state string) {
	ref, _ := seedFileNames(dir, clampStep, seed)
	base := strings.TrimSuffix(ref, ".json")
	return base + ".partial.jsonl", base + ".resume.json"
}

// rowsDigest hashes the decoding input (ids and masks of every row).
func rowsDigest(rows []generate.Row) string {
	h := sha256.New()
	var buf []byte
	for _, r := range rows {
		buf = buf[:0]
		for i := range r.InputIDs {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(r.InputIDs[i]))
			buf = append(buf, byte(r.Mask[i]))
		}
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// seedDecode is one seed's decode of a split, saved batch by batch.
type seedDecode struct {
	dir      string
	seed     uint64
	opt      generate.Options
	steps    int
	lines    []int
	settings sampleSettings
	rowsPath string
	state    string

	saved   sampleResume      // the last saved state
	results []generate.Result // rows decoded so far (saved.Done of them)
}

func newSeedDecode(dir string, seed uint64, opt generate.Options, steps int, lines []int, settings sampleSettings) *seedDecode {
	rp, sp := resumePaths(dir, opt.ClampStep, seed)
	return &seedDecode{dir: dir, seed: seed, opt: opt, steps: steps, lines: lines, settings: settings, rowsPath: rp, state: sp,
		saved: sampleResume{Settings: settings}, results: make([]generate.Result, settings.Rows)}
}

// load reads a saved state, if there is one, and the rows it counts. It
// reports whether there was one.
func (d *seedDecode) load() (bool, error) {
	raw, err := os.ReadFile(d.state)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var s sampleResume
	if err := json.Unmarshal(raw, &s); err != nil {
		return false, fmt.Errorf("%s: %v (delete it and %s to decode from the start)", d.state, err, d.rowsPath)
	}
	if diff := settingsDiff(s.Settings, d.settings); diff != "" {
		return false, fmt.Errorf("%s: a decode interrupted with other settings is saved here (%s); run the same command to continue it, or delete it and %s to start over", d.state, diff, d.rowsPath)
	}
	if s.Done < 0 || s.Done > d.settings.Rows {
		return false, fmt.Errorf("%s: field done: %d rows of %d", d.state, s.Done, d.settings.Rows)
	}
	if err := d.readRows(s.Done); err != nil {
		return false, err
	}
	d.saved = s
	return true, nil
}

// readRows reads the first n rows of the partial file back as results.
func (d *seedDecode) readRows(n int) error {
	f, err := os.Open(d.rowsPath)
	if err != nil {
		return fmt.Errorf("%s names %d saved rows: %w", d.state, n, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for i := 0; i < n; i++ {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return fmt.Errorf("%s:%d: %w", d.rowsPath, i+1, err)
			}
			return fmt.Errorf("%s: %d lines, but %s counts %d", d.rowsPath, i, d.state, n)
		}
		var l sampleLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return fmt.Errorf("%s:%d: %v", d.rowsPath, i+1, err)
		}
		if l.Line != d.lines[i] || l.Seed != d.seed {
			return fmt.Errorf("%s:%d: field line/seed: %d/%d, want input line %d of seed %d", d.rowsPath, i+1, l.Line, l.Seed, d.lines[i], d.seed)
		}
		d.results[i] = generate.Result{Text: l.Recover, Reference: l.Reference, Source: l.Source, Tokens: l.Tokens}
	}
	return nil
}

// save records a checkpoint: the rows first, then the state naming them.
func (d *seedDecode) save(c generate.Checkpoint, batch []generate.Result, seconds float64) error {
	copy(d.results[c.Done-len(batch):], batch)
	if err := sampleWriteAtomic(d.rowsPath, func(w io.Writer) error {
		return writeSampleLines(w, d.results[:c.Done], d.lines, d.seed, d.opt, d.steps)
	}); err != nil {
		return err
	}
	s := d.saved
	s.Done, s.RNGState, s.Seconds = c.Done, c.RNGState, seconds
	raw, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := sampleWriteAtomic(d.state, func(w io.Writer) error {
		_, err := w.Write(append(raw, '\n'))
		return err
	}); err != nil {
		return err
	}
	d.saved = s
	return nil
}

// clear removes the partial files once the final ones are written.
func (d *seedDecode) clear() error {
	for _, p := range []string{d.state, d.rowsPath} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// settingsDiff names the first setting that differs ("" when none does).
func settingsDiff(saved, now sampleSettings) string {
	for _, c := range []struct {
		name string
		a, b any
	}{
		{"the weights", saved.Weights, now.Weights},
		{"the input rows", saved.Input, now.Input},
		{"the number of rows", saved.Rows, now.Rows},
		{"--seed", saved.Seed, now.Seed},
		{"--bsz", saved.BatchSize, now.BatchSize},
		{"the sampler", saved.Sampler, now.Sampler},
		{"--steps", saved.Steps, now.Steps},
		{"--clamp-step", saved.ClampStep, now.ClampStep},
		{"--top-p", saved.TopP, now.TopP},
		{"--denoise-rate", saved.DenoiseRate, now.DenoiseRate},
	} {
		if c.a != c.b {
			return fmt.Sprintf("%s: saved %v, now %v", c.name, c.a, c.b)
		}
	}
	return ""
}

// run decodes the seed's rows, continuing the saved decode if there is one
// and saving after every batch. d.saved then holds the decoding time of
// all runs.
func (d *seedDecode) run(ctx context.Context, g *generate.Generator, rows []generate.Row, stderr io.Writer, label string) ([]generate.Result, error) {
	resumed, err := d.load()
	if err != nil {
		return nil, err
	}
	opt, from := d.opt, d.saved.Done
	if resumed {
		opt.Resume = &generate.Checkpoint{Done: from, RNGState: d.saved.RNGState}
		fmt.Fprintf(stderr, "%s: continuing at sentence %d of %d (%.0f s of decoding saved in %s)\n",
			label, from+1, len(rows), d.saved.Seconds, d.state)
	}
	d.saved.Pieces++
	prior, start := d.saved.Seconds, time.Now()
	opt.AfterBatch = func(c generate.Checkpoint, batch []generate.Result) error {
		if err := d.save(c, batch, prior+time.Since(start).Seconds()); err != nil {
			return err
		}
		if sampleSavedHook != nil {
			sampleSavedHook(ctx, c.Done)
		}
		return nil
	}
	res, err := sampleSeed(ctx, g, rows, opt, newSampleProgress(stderr, label, from))
	switch {
	case err != nil && ctx.Err() != nil && d.saved.Done > 0:
		return nil, fmt.Errorf("%s: stopped after %d of %d sentences, which are saved in %s: run the same command to continue", label, d.saved.Done, len(rows), d.dir)
	case err != nil && ctx.Err() != nil:
		return nil, fmt.Errorf("%s: stopped before the first batch of %d sentences was done; nothing saved", label, d.opt.BatchSize)
	case err != nil:
		return nil, err
	}
	copy(res[:from], d.results[:from])
	d.saved.Seconds = prior + time.Since(start).Seconds()
	return res, nil
}
