package data

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
	"github.com/diffuseq-go/diffuseq/text"
)

// writeFile writes content into a temporary file and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// tinyVocab is a custom vocabulary: [START]=0 [END]=1 [UNK]=2 [PAD]=3,
// a=4 b=5 c=6 d=7.
func tinyVocab(t *testing.T) *text.CustomVocab {
	t.Helper()
	cv, err := text.LoadCustomVocab(writeFile(t, "vocab.txt", "a\nb\nc\nd\n"))
	if err != nil {
		t.Fatal(err)
	}
	return cv
}

func TestDatasetRowsCustomVocab(t *testing.T) {
	p := writeFile(t, "train.jsonl", `{"src": "a b", "trg": "c x d"}`+"\n"+`{"src": "d", "trg": "a"}`+"\n")
	ds, err := Load(p, tinyVocab(t), Options{SeqLen: 10})
	if err != nil {
		t.Fatal(err)
	}
	ids, mask := make([]int, 10), make([]int, 10)
	if err := ds.Row(0, ids, mask); err != nil {
		t.Fatal(err)
	}
	// [START] a b [END] [END](sep) [START] c [UNK] d [END]
	if want := []int{0, 4, 5, 1, 1, 0, 6, 2, 7, 1}; !slices.Equal(ids, want) {
		t.Errorf("ids %v want %v", ids, want)
	}
	if want := []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}; !slices.Equal(mask, want) {
		t.Errorf("mask %v want %v", mask, want)
	}
	ds.Row(1, ids, mask)
	if want := []int{0, 7, 1, 1, 0, 4, 1, 3, 3, 3}; !slices.Equal(ids, want) {
		t.Errorf("ids %v want %v", ids, want)
	}
	if want := []int{0, 0, 0, 0, 1, 1, 1, 1, 1, 1}; !slices.Equal(mask, want) {
		t.Errorf("mask %v want %v", mask, want)
	}
}

func TestDatasetBadLines(t *testing.T) {
	content := `{"src": "a", "trg": "b"}` + "\n" + `{"src": "a"}` + "\n" + "not json\n" + `{"src": "c", "trg": "d"}` + "\n"
	p := writeFile(t, "bad.jsonl", content)
	_, err := Load(p, tinyVocab(t), Options{SeqLen: 8})
	if err == nil || err.Error() != p+":2: trg: missing" {
		t.Fatalf("err = %v", err)
	}
	ds, err := Load(p, tinyVocab(t), Options{SeqLen: 8, SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != 2 || ds.Skipped() != 2 || ds.Line(1) != 4 || len(ds.SkippedErrors()) != 2 {
		t.Fatalf("len %d skipped %d line %d", ds.Len(), ds.Skipped(), ds.Line(1))
	}
	if !strings.Contains(ds.SkippedErrors()[1].Error(), ":3: invalid JSON") {
		t.Fatalf("second skipped error %v", ds.SkippedErrors()[1])
	}
	if _, err := Load(writeFile(t, "allbad.jsonl", "x\n"), tinyVocab(t), Options{SeqLen: 8, SkipBad: true}); err == nil {
		t.Fatal("file with no usable line accepted")
	}
	if _, err := Load(writeFile(t, "empty.jsonl", ""), tinyVocab(t), Options{SeqLen: 8}); err == nil || !strings.Contains(err.Error(), "no examples") {
		t.Fatalf("empty file: %v", err)
	}
	if _, err := Load(p, tinyVocab(t), Options{SeqLen: 4}); err == nil {
		t.Fatal("seq_len 4 accepted")
	}
}

// allBatches drains a loader's current epoch.
func allBatches(t *testing.T, l *Loader) []Batch {
	t.Helper()
	var out []Batch
	for {
		b, err := l.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
}

// multi30k loads the shared tokenised Multi30k valid split with its vocab.
func multi30k(t testing.TB, stream bool) *Dataset {
	dir := testenv.Shared(t, "data", "multi30k_de_en_tok")
	cv, err := text.LoadCustomVocab(filepath.Join(dir, "vocab.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Load(filepath.Join(dir, "valid.jsonl"), cv, Options{SeqLen: 64, Stream: stream})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ds.Close() })
	return ds
}

// TestMulti30kTruncationCount checks against the data set's README: with
// seq_len 64, DiffuSeq's truncation cuts 2 valid pairs; every other row is
// exactly n + m + 5 long (two start, two end tokens and the separator).
func TestMulti30kTruncationCount(t *testing.T) {
	ds := multi30k(t, false)
	if ds.Len() != 1014 {
		t.Fatalf("%d examples, want 1014", ds.Len())
	}
	r, err := Open(ds.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cut := 0
	for i := 0; ; i++ {
		ex, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n, m := len(strings.Fields(ex.Src)), len(strings.Fields(ex.Trg))
		want := n + m + 5
		if want > 64 {
			cut++
			want = 64
		}
		if got := int(ds.lengths[i]); got != want {
			t.Fatalf("record %d: row length %d, want %d", i, got, want)
		}
	}
	if cut != 2 {
		t.Fatalf("%d pairs cut, README says 2", cut)
	}
}

// TestStreamingMatchesInMemory: the two storage modes give identical
// batches, with shuffling and bucketing.
func TestStreamingMatchesInMemory(t *testing.T) {
	mem, str := multi30k(t, false), multi30k(t, true)
	opt := LoaderOptions{BatchSize: 37, Shuffle: true, Seed: 7, BucketByLength: true, BucketWindow: 4}
	lm, _ := NewLoader(mem, opt)
	ls, _ := NewLoader(str, opt)
	bm, bs := allBatches(t, lm), allBatches(t, ls)
	if len(bm) != len(bs) || len(bm) != 28 {
		t.Fatalf("%d vs %d batches", len(bm), len(bs))
	}
	for i := range bm {
		if !slices.EqualFunc(bm[i].InputIDs, bs[i].InputIDs, slices.Equal) ||
			!slices.EqualFunc(bm[i].InputMask, bs[i].InputMask, slices.Equal) {
			t.Fatalf("batch %d differs", i)
		}
	}
}

// TestStreamingSkipBad: with bad lines between good ones, a streaming
// dataset re-reads the right lines (offsets skip the bad ones).
func TestStreamingSkipBad(t *testing.T) {
	content := `{"src": "a b", "trg": "c"}` + "\n" + "{bad\n" + `{"src": "d", "trg": "a a a"}` + "\n" +
		`{"src": "", "trg": "x"}` + "\n" + `{"src": "c c", "trg": "b"}`
	p := writeFile(t, "mixed.jsonl", content)
	mem, err := Load(p, tinyVocab(t), Options{SeqLen: 9, SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	str, err := Load(p, tinyVocab(t), Options{SeqLen: 9, SkipBad: true, Stream: true})
	if err != nil {
		t.Fatal(err)
	}
	defer str.Close()
	if mem.Len() != 3 || str.Len() != 3 || str.Skipped() != 2 || str.Line(2) != 5 {
		t.Fatalf("len %d/%d skipped %d", mem.Len(), str.Len(), str.Skipped())
	}
	a, am := make([]int, 9), make([]int, 9)
	b, bm := make([]int, 9), make([]int, 9)
	for i := 0; i < 3; i++ {
		if err := mem.Row(i, a, am); err != nil {
			t.Fatal(err)
		}
		if err := str.Row(i, b, bm); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a, b) || !slices.Equal(am, bm) {
			t.Fatalf("record %d: %v %v vs %v %v", i, a, am, b, bm)
		}
	}
	mem.Row(1, a, am) // line 3: [START] d [END] [END] [START] a a a [END]
	if want := []int{0, 7, 1, 1, 0, 4, 4, 4, 1}; !slices.Equal(a, want) {
		t.Fatalf("record 1 = %v, want %v", a, want)
	}
	str.Close()
	if err := str.Row(0, b, bm); err == nil {
		t.Fatal("Row on a closed streaming dataset succeeded")
	}
}
