package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/diffuseq-go/diffuseq/metrics"
)

// decodeFile is one decode output: one example per line, in test-set order.
//
// Accepted line format (JSON object per line): the reference's
// sample_seq2seq.py output {"recover", "reference", "source"} (all strings),
// or ours, a superset of it that may add "seed" (an integer) and any other
// fields, which are ignored.
type decodeFile struct {
	path     string
	seed     json.Number // set when every line carries the same integer "seed"
	examples []metrics.Example
}

// decodeLine is what eval reads from one line; RawMessage keeps the type
// checks explicit so errors can name the field.
type decodeLine struct {
	Recover   json.RawMessage `json:"recover"`
	Reference json.RawMessage `json:"reference"`
	Source    json.RawMessage `json:"source"`
	Seed      json.RawMessage `json:"seed"`
}

// readDecodeFile parses path; errors name the file, the 1-based line and
// the field.
func readDecodeFile(path string) (*decodeFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	df := &decodeFile{path: path}
	r := bufio.NewReaderSize(f, 1<<16)
	seedsAgree := true
	for lineNo := 1; ; lineNo++ {
		line, err := r.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s:%d: %v", path, lineNo, err)
		}
		if len(line) == 0 && errors.Is(err, io.EOF) {
			break
		}
		e, seed, perr := parseDecodeLine(line)
		if perr != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, lineNo, perr)
		}
		df.examples = append(df.examples, e)
		switch {
		case lineNo == 1:
			df.seed = seed
		case seed == "" || seed != df.seed:
			seedsAgree = false
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if len(df.examples) == 0 {
		return nil, fmt.Errorf("%s: no lines", path)
	}
	if !seedsAgree {
		df.seed = ""
	}
	return df, nil
}

// parseDecodeLine returns the example and its "seed" ("" if absent).
func parseDecodeLine(line []byte) (metrics.Example, json.Number, error) {
	if len(bytes.TrimSpace(line)) == 0 {
		return metrics.Example{}, "", errors.New("empty line (every line must be one JSON object)")
	}
	var dl decodeLine
	if err := json.Unmarshal(line, &dl); err != nil {
		return metrics.Example{}, "", fmt.Errorf("not a JSON object with string fields recover, reference, source: %v", err)
	}
	var e metrics.Example
	for _, f := range []struct {
		name string
		raw  json.RawMessage
		dst  *string
	}{{"recover", dl.Recover, &e.Recover}, {"reference", dl.Reference, &e.Reference}, {"source", dl.Source, &e.Source}} {
		if f.raw == nil {
			return e, "", fmt.Errorf("field %q: missing", f.name)
		}
		if err := json.Unmarshal(f.raw, f.dst); err != nil || bytes.Equal(f.raw, []byte("null")) {
			return e, "", fmt.Errorf("field %q: want a string, got %s", f.name, abbreviate(f.raw))
		}
	}
	if dl.Seed == nil {
		return e, "", nil
	}
	// Seeds are integers of any sign and size our decoders use (uint64 here,
	// Python ints in the reference): check the digits, keep the text.
	seed := json.Number(bytes.TrimSpace(dl.Seed))
	if _, err := strconv.ParseInt(string(seed), 10, 64); err != nil {
		if _, err := strconv.ParseUint(string(seed), 10, 64); err != nil {
			return e, "", fmt.Errorf("field \"seed\": want an integer, got %s", abbreviate(dl.Seed))
		}
	}
	return e, seed, nil
}

func abbreviate(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "..."
	}
	return string(raw)
}

// folderFiles lists a decode folder as the reference's eval script does:
// sorted names matching *json.
func folderFiles(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("--folder %s: no *json files", dir)
	}
	sort.Strings(paths)
	return paths, nil
}

// checkAligned requires every file to have as many lines as the first and
// the same reference on each line: MBR and diversity combine line i of
// every file, so a misaligned file (e.g. a decode appended twice, as the
// reference's decoder can do) would silently mix examples.
func checkAligned(files []*decodeFile) error {
	first := files[0]
	for _, f := range files[1:] {
		if len(f.examples) != len(first.examples) {
			return fmt.Errorf("%s has %d lines but %s has %d: decode files must be line-aligned",
				f.path, len(f.examples), first.path, len(first.examples))
		}
		for i, e := range f.examples {
			if e.Reference != first.examples[i].Reference {
				return fmt.Errorf("%s:%d: field \"reference\" differs from %s:%d: decode files must be line-aligned",
					f.path, i+1, first.path, i+1)
			}
		}
	}
	return nil
}
