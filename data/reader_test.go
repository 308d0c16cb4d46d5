package data

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readAll reads every line, collecting examples and error strings.
func readAll(t *testing.T, name, content string) ([]Example, []string) {
	t.Helper()
	r := NewReader(name, strings.NewReader(content), nil)
	var exs []Example
	var errs []string
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("reader does not terminate")
		}
		ex, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if !IsLineError(err) {
				t.Fatalf("non-line error: %v", err)
			}
			errs = append(errs, err.Error())
			continue
		}
		exs = append(exs, ex)
	}
	return exs, errs
}

func TestReaderBadLines(t *testing.T) {
	long := `{"src": "` + strings.Repeat("a", MaxLineBytes) + `", "trg": "b"}`
	for _, tc := range []struct {
		name, line, want string
	}{
		{"invalid json", `{"src": "a", "trg": `, "f.jsonl:2: invalid JSON: unexpected end of JSON input"},
		{"not object", `["a", "b"]`, "f.jsonl:2: not a JSON object"},
		{"string", `"a"`, "f.jsonl:2: not a JSON object"},
		{"null", `null`, "f.jsonl:2: not a JSON object (null)"},
		{"blank", ``, "f.jsonl:2: invalid JSON: empty line"},
		{"missing src", `{"trg": "b"}`, "f.jsonl:2: src: missing"},
		{"missing trg", `{"src": "a"}`, "f.jsonl:2: trg: missing"},
		{"number src", `{"src": 3, "trg": "b"}`, "f.jsonl:2: src: not a string (got a number)"},
		{"null trg", `{"src": "a", "trg": null}`, "f.jsonl:2: trg: not a string (got null)"},
		{"array trg", `{"src": "a", "trg": ["b"]}`, "f.jsonl:2: trg: not a string (got an array)"},
		{"empty src", `{"src": "", "trg": "b"}`, "f.jsonl:2: src: empty text"},
		{"space trg", `{"src": "a", "trg": " \t\u3000 "}`, "f.jsonl:2: trg: empty text"},
		{"invalid utf8", "{\"src\": \"a\xff\", \"trg\": \"b\"}", "f.jsonl:2: invalid UTF-8 at byte 10"},
		{"surrogate utf8", "{\"src\": \"\xed\xa0\x80\", \"trg\": \"b\"}", "f.jsonl:2: invalid UTF-8 at byte 9"},
		{"too long", long, "f.jsonl:2: line longer than 1048576 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content := `{"src": "x", "trg": "y"}` + "\n" + tc.line + "\n" + `{"src": " p ", "trg": "q", "other": 1}` + "\n"
			exs, errs := readAll(t, "f.jsonl", content)
			if len(errs) != 1 || errs[0] != tc.want {
				t.Fatalf("errors %q, want [%q]", errs, tc.want)
			}
			// The reader recovers: the lines around the bad one are read.
			if len(exs) != 2 || exs[0].Src != "x" || exs[1].Src != "p" || exs[1].Line != 3 {
				t.Fatalf("examples %+v", exs)
			}
		})
	}
}

func TestReaderOffsetsAndLastLine(t *testing.T) {
	content := "{\"src\": \"a\", \"trg\": \"b\"}\r\n{\"src\": \"c\", \"trg\": \"d\"}" // CRLF, no final newline
	exs, errs := readAll(t, "f", content)
	if len(errs) != 0 || len(exs) != 2 {
		t.Fatalf("exs %+v errs %v", exs, errs)
	}
	if exs[1].Offset != int64(strings.Index(content, "\n")+1) || exs[1].Trg != "d" || exs[1].Line != 2 {
		t.Fatalf("second example %+v", exs[1])
	}
}

func TestReaderLineAtLimit(t *testing.T) {
	// A line of exactly MaxLineBytes is accepted.
	pad := MaxLineBytes - len(`{"src": "", "trg": "b"}`)
	line := `{"src": "` + strings.Repeat("a", pad) + `", "trg": "b"}`
	if len(line) != MaxLineBytes {
		t.Fatal(len(line))
	}
	exs, errs := readAll(t, "f", line+"\n")
	if len(errs) != 0 || len(exs) != 1 || len(exs[0].Src) != pad {
		t.Fatalf("%d examples, errors %v", len(exs), errs)
	}
}

func TestReaderLineOverLimitAtEOF(t *testing.T) {
	// One byte over the limit, with no final newline: still too long.
	pad := MaxLineBytes + 1 - len(`{"src": "", "trg": "b"}`)
	line := `{"src": "` + strings.Repeat("a", pad) + `", "trg": "b"}`
	_, errs := readAll(t, "f", `{"src": "x", "trg": "y"}`+"\n"+line)
	if len(errs) != 1 || errs[0] != "f:2: line longer than 1048576 bytes" {
		t.Fatalf("errors %q", errs)
	}
}

func TestOpenMissingFile(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nope.jsonl"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Fatalf("err = %v", err)
	}
}

func TestSplitFile(t *testing.T) {
	if p, err := SplitFile("d", "valid"); err != nil || p != filepath.Join("d", "valid.jsonl") {
		t.Fatal(p, err)
	}
	if _, err := SplitFile("d", "dev"); err == nil {
		t.Fatal("split dev accepted")
	}
}
