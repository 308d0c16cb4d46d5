package data

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf8"

	"github.com/diffuseq-go/diffuseq/text"
)

// FuzzJSONL: any file content is read to the end without panicking or
// looping: every call to Next makes progress, errors are *LineErrors with
// increasing line numbers, and good examples are valid, non-empty, and
// join into rows of length L with the mask layout of the spec.
// Run: go test -fuzz=FuzzJSONL -fuzztime=30s ./data
func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		`{"src": "a b", "trg": "c"}` + "\n",
		`{"src": "a", "trg": ""}` + "\n" + `{"src": 1}`,
		"{\"src\": \"\xff\", \"trg\": \"x\"}\r\n\n\n",
		`{"src": "\u00e9\ud800", "trg": "[CLS]"}`,
		`[]` + "\n" + `null` + "\n" + `{"src": {"a": 1}, "trg": []}`,
	} {
		f.Add([]byte(s))
	}
	cv, err := text.NewCustomVocab([]string{"a", "b", "c"})
	if err != nil {
		f.Fatal(err)
	}
	const L = 8
	f.Fuzz(func(t *testing.T, content []byte) {
		r := NewReader("fuzz.jsonl", bytes.NewReader(content), nil)
		lines := bytes.Count(content, []byte{'\n'}) + 1
		lastLine := 0
		ids, mask := make([]int, L), make([]int, L)
		for calls := 0; ; calls++ {
			if calls > lines {
				t.Fatalf("%d calls to Next for %d lines", calls, lines)
			}
			ex, err := r.Next()
			if err == io.EOF {
				break
			}
			line := ex.Line
			if err != nil {
				le, ok := err.(*LineError)
				if !ok {
					t.Fatalf("not a LineError: %v", err)
				}
				line = le.Line
			} else {
				if ex.Src == "" || ex.Trg == "" || !utf8.ValidString(ex.Src) || !utf8.ValidString(ex.Trg) {
					t.Fatalf("bad example accepted: %+v", ex)
				}
				Join(ids, mask, cv.Encode(ex.Src), cv.Encode(ex.Trg), cv.SepID(), cv.PadID())
				if ids[0] != text.StartID || mask[0] != 0 || mask[L-1] != 1 {
					t.Fatalf("row %v mask %v", ids, mask)
				}
			}
			if line <= lastLine {
				t.Fatalf("line %d after line %d", line, lastLine)
			}
			lastLine = line
		}
	})
}
