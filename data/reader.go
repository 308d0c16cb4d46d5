package data

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLineBytes is the longest jsonl line accepted (without its newline).
// A longer line is an error rather than an unbounded allocation.
const MaxLineBytes = 1 << 20

// Example is one source/target pair of a jsonl file.
type Example struct {
	Src, Trg string // strip()-ed as the reference does
	Line     int    // 1-based line number in the file
	Offset   int64  // byte offset of the line's start
}

// Reader streams Examples from a jsonl file line by line, so files larger
// than memory can be read; only one line (at most MaxLineBytes) is held.
type Reader struct {
	path   string
	r      *bufio.Reader
	closer io.Closer
	line   int
	offset int64
	buf    []byte
}

// Open opens a jsonl file for reading.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return NewReader(path, f, f), nil
}

// NewReader reads jsonl from r; name is used in error messages; closer
// (may be nil) is closed by Close.
func NewReader(name string, r io.Reader, closer io.Closer) *Reader {
	return newReaderSize(name, r, closer, 64<<10)
}

// newReaderSize is NewReader with a given buffer size (lines longer than
// the buffer are still read whole, in pieces).
func newReaderSize(name string, r io.Reader, closer io.Closer, size int) *Reader {
	return &Reader{path: name, r: bufio.NewReaderSize(r, size), closer: closer}
}

// Close closes the underlying file.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	return r.closer.Close()
}

// Next returns the next example. At the end of the file it returns io.EOF.
// A bad line gives a *LineError; reading may continue after it with the
// next line. Other errors (I/O) end the reading.
func (r *Reader) Next() (Example, error) {
	raw, start, err := r.readLine()
	if err != nil {
		return Example{}, err
	}
	ex, perr := parseLine(raw)
	if perr != nil {
		perr.File, perr.Line = r.path, r.line
		return Example{}, perr
	}
	ex.Line, ex.Offset = r.line, start
	return ex, nil
}

// errLineTooLong is returned by readLine (wrapped in a LineError).
var errLineTooLong = fmt.Errorf("line longer than %d bytes", MaxLineBytes)

// readLine returns the next line without its "\n", the offset of its
// start, and io.EOF after the last line. A line over MaxLineBytes is
// consumed up to its newline and reported as a *LineError.
func (r *Reader) readLine() ([]byte, int64, error) {
	start := r.offset
	r.buf = r.buf[:0]
	tooLong := false
	for {
		chunk, err := r.r.ReadSlice('\n')
		r.offset += int64(len(chunk))
		if !tooLong {
			if len(r.buf)+len(chunk) > MaxLineBytes+1 { // +1: the newline itself
				tooLong = true
				r.buf = r.buf[:0]
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if r.offset == start {
				return nil, start, io.EOF
			}
		} else if err != nil {
			return nil, start, fmt.Errorf("%s:%d: %w", r.path, r.line+1, err)
		}
		break
	}
	r.line++
	line := bytes.TrimSuffix(r.buf, []byte{'\n'})
	if tooLong || len(line) > MaxLineBytes {
		return nil, start, &LineError{File: r.path, Line: r.line, Problem: errLineTooLong.Error()}
	}
	return line, start, nil
}

// parseLine checks one line and extracts src and trg. The returned error
// has Field and Problem set; the caller adds file and line.
func parseLine(raw []byte) (Example, *LineError) {
	if !utf8.Valid(raw) {
		return Example{}, &LineError{Problem: fmt.Sprintf("invalid UTF-8 at byte %d", invalidUTF8At(raw))}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) || (len(bytes.TrimSpace(raw)) > 0 && json.Valid(raw)) {
			return Example{}, &LineError{Problem: "not a JSON object"}
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			return Example{}, &LineError{Problem: "invalid JSON: empty line"}
		}
		return Example{}, &LineError{Problem: "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	if obj == nil {
		return Example{}, &LineError{Problem: "not a JSON object (null)"}
	}
	var ex Example
	for _, f := range []struct {
		name string
		dst  *string
	}{{"src", &ex.Src}, {"trg", &ex.Trg}} {
		v, ok := obj[f.name]
		if !ok {
			return Example{}, &LineError{Field: f.name, Problem: "missing"}
		}
		// Unmarshal leaves a string untouched for null, so check the kind.
		if v = bytes.TrimSpace(v); len(v) == 0 || v[0] != '"' || json.Unmarshal(v, f.dst) != nil {
			return Example{}, &LineError{Field: f.name, Problem: "not a string (got " + jsonKind(v) + ")"}
		}
		*f.dst = pyStrip(*f.dst)
		if *f.dst == "" {
			return Example{}, &LineError{Field: f.name, Problem: "empty text"}
		}
	}
	return ex, nil
}

// pyStrip removes leading and trailing whitespace as Python's str.strip()
// does: Unicode White_Space plus the separators U+001C..U+001F.
func pyStrip(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || (r >= 0x1C && r <= 0x1F)
	})
}

// jsonKind names the JSON type of a raw value, for error messages.
func jsonKind(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// invalidUTF8At returns the byte index of the first invalid UTF-8 sequence.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}
