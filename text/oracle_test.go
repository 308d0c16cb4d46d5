package text

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"
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
