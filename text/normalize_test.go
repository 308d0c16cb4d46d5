package text

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// oracleDir holds expectations produced by the HuggingFace tokenizers
// oracle (testdata/tokenizer/README.md explains how to regenerate them).
const oracleDir = "../testdata/tokenizer/"

// codepointStride is 1 (every code point), or 13 under -short so quick
// runs (and emulated architectures) still sample every block.
func codepointStride() rune {
	if testing.Short() {
		return 13
	}
	return 1
}

// readCodepointTable parses a codepoints_*.txt file into the expected
// normalised string of every code point (absent = unchanged).
func readCodepointTable(t *testing.T, name string) map[rune]string {
	t.Helper()
	f, err := os.Open(oracleDir + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	want := map[rune]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var first, last rune
		var cls string
		if _, err := fmt.Sscanf(sc.Text(), "%x %x %s", &first, &last, &cls); err != nil {
			t.Fatalf("%s: %q: %v", name, sc.Text(), err)
		}
		for c := first; c <= last; c++ {
			switch cls {
			case "=":
			case "-":
				want[c] = ""
			case "_":
				want[c] = " "
			case "cjk":
				want[c] = " " + string(c) + " "
			default:
				var b strings.Builder
				for _, h := range strings.Split(cls, ",") {
					v, err := strconv.ParseUint(h, 16, 32)
					if err != nil {
						t.Fatalf("%s: %q: %v", name, sc.Text(), err)
					}
					b.WriteRune(rune(v))
				}
				want[c] = b.String()
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

// TestNormalizerEveryCodepoint compares the normaliser with the oracle on
// each Unicode scalar value alone, for cased and uncased BERT.
//
// The oracle's lowercasing comes from a newer Rust (Unicode 16) than Go's
// tables (Unicode 15) — and than the reference's 2022 toolchain — so it
// lowercases a few dozen characters that Go does not know yet; those, and
// only those (unassigned in Go's tables), are tolerated.
func TestNormalizerEveryCodepoint(t *testing.T) {
	for _, tc := range []struct {
		file      string
		lowercase bool
	}{{"codepoints_uncased.txt.gz", true}, {"codepoints_cased.txt", false}} {
		t.Run(tc.file, func(t *testing.T) {
			want := readCodepointTable(t, tc.file)
			n := bertNormalizer{lowercase: tc.lowercase}
			bad, newer := 0, 0
			for c := rune(0); c <= 0x10FFFF; c += codepointStride() {
				if c >= 0xD800 && c <= 0xDFFF {
					continue
				}
				w, ok := want[c]
				if !ok {
					w = string(c)
				}
				if got := string(n.normalize(string(c))); got != w {
					if unicode.Is(unicode.Cn, c) && got == string(c) {
						newer++
						continue
					}
					if bad++; bad <= 20 {
						t.Errorf("U+%04X %q: got %q, oracle %q", c, string(c), got, w)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d code points differ", bad)
			}
			if newer > 100 {
				t.Errorf("%d code points unknown to Go's Unicode tables differ; expected a few dozen", newer)
			}
		})
	}
}

// TestPunctuationEveryCodepoint checks which code points the
// pre-tokenizer isolates as words of their own.
func TestPunctuationEveryCodepoint(t *testing.T) {
	f, err := os.Open(oracleDir + "punct.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	isolated := map[rune]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var first, last rune
		if _, err := fmt.Sscanf(sc.Text(), "%x %x", &first, &last); err != nil {
			t.Fatalf("punct.txt: %q: %v", sc.Text(), err)
		}
		for c := first; c <= last; c++ {
			isolated[c] = true
		}
	}
	bad := 0
	for c := rune(0); c <= 0x10FFFF; c += codepointStride() {
		if c >= 0xD800 && c <= 0xDFFF {
			continue
		}
		words := preTokenize([]rune{'a', c, 'b'}, nil)
		got := len(words) == 3
		if got != isolated[c] {
			if bad++; bad <= 20 {
				t.Errorf("U+%04X %q: isolated=%v, oracle %v", c, string(c), got, isolated[c])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d code points differ", bad)
	}
}
