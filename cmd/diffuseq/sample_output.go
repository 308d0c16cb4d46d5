package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/diffuseq-go/diffuseq/generate"
	"github.com/diffuseq-go/diffuseq/text"
)

// sampleLine is one line of our own output file: the reference's three
// fields plus what is needed to trace a line back (seed, input line,
// generated ids and sampler settings).
type sampleLine struct {
	Recover   string  `json:"recover"`
	Reference string  `json:"reference"`
	Source    string  `json:"source"`
	Seed      uint64  `json:"seed"`
	Line      int     `json:"line"`           // 1-based line of the input file
	Tokens    []int   `json:"tokens"`         // generated ids, positions len_x … L−1
	Steps     int     `json:"steps"`          // reverse steps run
	Sampler   string  `json:"sampler"`        // samplerName
	ClampStep int     `json:"clamp_step"`     //
	TopP      float64 `json:"top_p,omitzero"` //
	Denoise   float64 `json:"denoise_rate,omitzero"`
}

// seedFileNames are the reference's name seedS_stepC.json (C = clamp
// step) and ours beside it. Only the first matches eval's *json glob.
func seedFileNames(dir string, clampStep int, seed uint64) (ref, ours string) {
	base := filepath.Join(dir, fmt.Sprintf("seed%d_step%d", seed, clampStep))
	return base + ".json", base + ".samples.jsonl"
}

// writeSeedFiles writes one seed's results twice, each file atomically
// (the reference appends, which duplicates lines when a decode is re-run
// and breaks the line alignment MBR relies on; we replace the file).
func writeSeedFiles(dir string, clampStep int, seed uint64, res []generate.Result, lines []int, opt generate.Options, steps int) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ref, ours := seedFileNames(dir, clampStep, seed)
	err := sampleWriteAtomic(ref, func(w io.Writer) error {
		for _, r := range res {
			if _, err := fmt.Fprintf(w, "{\"recover\": %s, \"reference\": %s, \"source\": %s}\n",
				pyJSONString(r.Text), pyJSONString(r.Reference), pyJSONString(r.Source)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = sampleWriteAtomic(ours, func(w io.Writer) error { return writeSampleLines(w, res, lines, seed, opt, steps) })
	if err != nil {
		return nil, err
	}
	return []string{ref, ours}, nil
}

// writeSampleLines writes results as sampleLines (our .samples.jsonl).
func writeSampleLines(w io.Writer, res []generate.Result, lines []int, seed uint64, opt generate.Options, steps int) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	sampler := samplerName(opt)
	for i, r := range res {
		l := sampleLine{Recover: r.Text, Reference: r.Reference, Source: r.Source, Seed: seed, Line: lines[i],
			Tokens: r.Tokens, Steps: steps, Sampler: sampler, ClampStep: opt.ClampStep, TopP: opt.TopP, Denoise: opt.DenoiseRate}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return nil
}

// samplerName labels the sampler in our output: "reference" (the full
// ancestral loop), "reference-ddim" (the --step path), "ancestral" (on the
// respaced process, --steps N) or a --sampler name.
func samplerName(opt generate.Options) string {
	switch {
	case opt.Sampler != "":
		return string(opt.Sampler)
	case opt.DDIM:
		return "reference-ddim"
	case opt.Steps > 0:
		return "ancestral"
	}
	return "reference"
}

// pyJSONString quotes s as Python's json.dumps does by default
// (ensure_ascii): non-ASCII characters become \uXXXX escapes (surrogate
// pairs above U+FFFF), so our .json lines read like the reference's.
func pyJSONString(s string) string {
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // Python leaves <, > and & alone
	enc.Encode(s)
	var out strings.Builder
	for _, r := range strings.TrimSuffix(buf.String(), "\n") {
		switch {
		case r < 0x80:
			out.WriteRune(r)
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&out, "\\u%04x\\u%04x", hi, lo)
		default:
			fmt.Fprintf(&out, "\\u%04x", r)
		}
	}
	return out.String()
}

// sampleWriteAtomic writes path through a temporary file in the same folder,
// synced and renamed over path, so a reader never sees a half-written file.
func sampleWriteAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err := write(bw); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// stdinLine is one --stdin --json output.
type stdinLine struct {
	Line   int    `json:"line"`
	Seed   uint64 `json:"seed"`
	Source string `json:"source"`
	Text   string `json:"text"`    // cleaned: special tokens removed
	Raw    string `json:"recover"` // as the reference decodes it
	Tokens []int  `json:"tokens"`
}

// printStdinResults prints one output per input line: the cleaned text,
// prefixed "SEED<TAB>" when several seeds run, or JSON objects.
func printStdinResults(w io.Writer, g *generate.Generator, res []generate.Result, lines []int, seed uint64, withSeed, asJSON bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i, r := range res {
		clean := sampleCleanText(g.Tokenizer(), r.Tokens)
		var err error
		switch {
		case asJSON:
			err = enc.Encode(stdinLine{Line: lines[i], Seed: seed, Source: r.Source, Text: clean, Raw: r.Text, Tokens: r.Tokens})
		case withSeed:
			_, err = fmt.Fprintf(w, "%d\t%s\n", seed, clean)
		default:
			_, err = fmt.Fprintln(w, clean)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// sampleCleanText detokenises ids without the special tokens (pad, separator
// and the start/end tokens that wrap every encoded sentence).
func sampleCleanText(tok text.Tokenizer, ids []int) string {
	special := append([]int{tok.PadID(), tok.SepID()}, tok.Encode("")...)
	kept := make([]int, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(special, id) {
			kept = append(kept, id)
		}
	}
	return strings.TrimSpace(tok.Decode(kept))
}

// printTraces prints every result's trajectory (generate.RenderTrace).
func printTraces(w io.Writer, g *generate.Generator, res []generate.Result, seed uint64) error {
	for i, r := range res {
		if _, err := fmt.Fprintf(w, "--- seed %d, sentence %s\n", seed, strconv.Itoa(i+1)); err != nil {
			return err
		}
		if err := generate.RenderTrace(w, g.Tokenizer(), generate.TraceItemOf(r)); err != nil {
			return err
		}
	}
	return nil
}
