package text

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
)

// oracleCase is one line of expect_*.jsonl, written by
// testdata/tokenizer/gen_expect.js with HuggingFace tokenizers.
type oracleCase struct {
	Kind    string   `json:"kind"`
	Text    string   `json:"text"`
	IDs     []int    `json:"ids"`
	Tokens  []string `json:"tokens"`
	Decoded string   `json:"decoded"` // join + "##" merge, no clean-up
}

func readOracle(t testing.TB, name string) []oracleCase {
	t.Helper()
	f, err := os.Open(oracleDir + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []oracleCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c oracleCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestWordPieceMatchesOracle encodes several hundred tricky, random and
// real strings with both vocabularies and compares ids with the oracle.
func TestWordPieceMatchesOracle(t *testing.T) {
	for _, tc := range []struct {
		name      string
		lowercase bool
	}{{"uncased", true}, {"cased", false}} {
		t.Run(tc.name, func(t *testing.T) {
			wp, err := LoadWordPiece(oracleDir+"vocab_"+tc.name+".txt", tc.lowercase)
			if err != nil {
				t.Fatal(err)
			}
			cases := readOracle(t, "expect_"+tc.name+".jsonl")
			kinds := map[string]int{}
			for _, c := range cases {
				kinds[c.Kind]++
				got := wp.Encode(c.Text)
				if !slices.Equal(got, c.IDs) {
					t.Errorf("%s %q:\n got %v\nwant %v (%q)", c.Kind, c.Text, got, c.IDs, c.Tokens)
					continue
				}
				toks := make([]string, len(got))
				for i, id := range got {
					toks[i], _ = wp.Token(id)
				}
				if !slices.Equal(toks, c.Tokens) {
					t.Errorf("%q: tokens %q, want %q", c.Text, toks, c.Tokens)
				}
				if m := mergeWordPieces(toks); m != c.Decoded {
					t.Errorf("%q: merged %q, oracle decoded %q", c.Text, m, c.Decoded)
				}
			}
			if kinds["tricky"] < 100 || kinds["random"] < 200 || kinds["real"] < 200 {
				t.Fatalf("too few oracle cases: %v", kinds)
			}
		})
	}
}

// TestWordPieceSharedCorpora encodes whole shared data files (every valid
// split, the first 5,000 Multi30k training pairs; both fields, both
// vocabularies) and compares chunk digests with the oracle's
// (testdata/tokenizer/gen_corpus_digest.js).
func TestWordPieceSharedCorpora(t *testing.T) {
	dataDir := testenv.Shared(t, "data")
	raw, err := os.ReadFile(oracleDir + "corpus_digest.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		ChunkLines int                                   `json:"chunk_lines"`
		Files      map[string]map[string]json.RawMessage `json:"files"`
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	toks := map[string]*WordPiece{}
	for _, name := range []string{"uncased", "cased"} {
		if toks[name], err = LoadWordPiece(oracleDir+"vocab_"+name+".txt", name == "uncased"); err != nil {
			t.Fatal(err)
		}
	}
	total := 0
	for file, entry := range want.Files {
		var n int
		json.Unmarshal(entry["lines"], &n)
		f, err := os.Open(filepath.Join(dataDir, file))
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]string
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for len(rows) < n && sc.Scan() {
			var row map[string]string
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			rows = append(rows, row)
		}
		f.Close()
		for name, wp := range toks {
			for _, field := range []string{"src", "trg"} {
				var digests []string
				json.Unmarshal(entry[name+"_"+field], &digests)
				for k, d := range digests {
					if testing.Short() && k > 0 {
						break // -short: the first 500 lines of each
					}
					h := sha256.New()
					for _, row := range rows[k*want.ChunkLines : min((k+1)*want.ChunkLines, len(rows))] {
						ids := wp.Encode(strings.TrimSpace(row[field]))
						fmt.Fprintln(h, strings.Trim(fmt.Sprint(ids), "[]"))
						total++
					}
					if got := hex.EncodeToString(h.Sum(nil)); got != d {
						t.Errorf("%s %s %s lines %d-%d: digest differs from the oracle's", file, name, field, k*want.ChunkLines+1, (k+1)*want.ChunkLines)
					}
				}
			}
		}
	}
	if !testing.Short() && total < 60000 {
		t.Fatalf("only %d encodings checked", total)
	}
}
