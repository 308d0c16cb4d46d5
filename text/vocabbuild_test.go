package text

import (
	"slices"
	"strings"
	"testing"
)

func TestWordVocabOrder(t *testing.T) {
	counts := map[string]int{"b": 3, "a": 3, "é": 5, "z": 1, "Z": 2, "ä": 2}
	got := WordVocab(counts, 2)
	// Count descending, ties in code-point order ("Z" < "ä").
	if want := []string{"é", "a", "b", "Z", "ä"}; !slices.Equal(got, want) {
		t.Fatalf("WordVocab = %q, want %q", got, want)
	}
}

// TestTrainWordPiece: the trained vocabulary starts with the specials and
// the alphabet, respects the size, is deterministic, and segments every
// training word without [UNK] (its alphabet covers them).
func TestTrainWordPiece(t *testing.T) {
	corpus := "the cat sat on the mat . the cats sat on the mats ! Straße naïve 北京 😀"
	counts := map[string]int{}
	for _, w := range BertWords(corpus, true) {
		counts[w]++
	}
	if counts["strasse"] != 0 || counts["straße"] != 1 || counts["naive"] != 1 || counts["北"] != 1 {
		t.Fatalf("BertWords counts %v", counts)
	}
	vocab := TrainWordPiece(counts, 40, 2)
	if len(vocab) > 40 || !slices.Equal(vocab[:5], []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
		t.Fatalf("vocab %q", vocab)
	}
	if !slices.Contains(vocab, "##at") || !slices.Contains(vocab, "the") {
		t.Fatalf("frequent merges missing: %q", vocab)
	}
	if again := TrainWordPiece(counts, 40, 2); !slices.Equal(vocab, again) {
		t.Fatal("training is not deterministic")
	}
	seen := map[string]bool{}
	for _, v := range vocab {
		if seen[v] {
			t.Fatalf("duplicate entry %q", v)
		}
		seen[v] = true
	}
	wp, err := NewWordPiece(vocab, true)
	if err != nil {
		t.Fatal(err)
	}
	for w := range counts {
		for _, id := range wp.AppendPieces(nil, w) {
			if id == wp.UnkID() {
				t.Errorf("training word %q has an [UNK] piece", w)
			}
		}
	}
	// Merges run until the size is reached when pairs remain.
	big := TrainWordPiece(counts, 1000, 1)
	if len(big) <= len(vocab) || strings.Join(big[:5], " ") != "[PAD] [UNK] [CLS] [SEP] [MASK]" {
		t.Fatalf("size-1000 vocab has %d entries", len(big))
	}
}
