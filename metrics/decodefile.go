package metrics

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// DecodeFile is one decode output: one example per line, in test-set order.
//
// Accepted line format (JSON object per line): the reference's
// sample_seq2seq.py output {"recover", "reference", "source"} (all strings),
// or ours, a superset of it that may add "seed" (an integer) and any other
// fields, which are ignored.
type DecodeFile struct {
	Path     string
	Seed     json.Number // set when every line carries the same integer "seed"
	Examples []Example
}

// decodeLine is what eval reads from one line; RawMessage keeps the type
// checks explicit so errors can name the field.
type decodeLine struct {
	Recover   json.RawMessage `json:"recover"`
	Reference json.RawMessage `json:"reference"`
	Source    json.RawMessage `json:"source"`
	Seed      json.RawMessage `json:"seed"`
}

// ReadDecodeFile parses path; errors name the file, the 1-based line and
// the field.
func ReadDecodeFile(path string) (*DecodeFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	df := &DecodeFile{Path: path}
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
		df.Examples = append(df.Examples, e)
		switch {
		case lineNo == 1:
			df.Seed = seed
		case seed == "" || seed != df.Seed:
			seedsAgree = false
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if len(df.Examples) == 0 {
		return nil, fmt.Errorf("%s: no lines", path)
	}
	if !seedsAgree {
		df.Seed = ""
	}
	return df, nil
}

// parseDecodeLine returns the example and its "seed" ("" if absent).
func parseDecodeLine(line []byte) (Example, json.Number, error) {
	if len(bytes.TrimSpace(line)) == 0 {
		return Example{}, "", errors.New("empty line (every line must be one JSON object)")
	}
	var dl decodeLine
	if err := json.Unmarshal(line, &dl); err != nil {
		return Example{}, "", fmt.Errorf("not a JSON object with string fields recover, reference, source: %v", err)
	}
	var e Example
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
