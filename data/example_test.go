package data_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/diffuseq-go/diffuseq/data"
	"github.com/diffuseq-go/diffuseq/text"
)

// Example builds batches from a dataset directory with a custom vocab.
func Example() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "vocab.txt"), []byte("a\nman\nrides\nein\nmann\nfährt\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "train.jsonl"), []byte(
		`{"src": "ein mann fährt", "trg": "a man rides"}`+"\n"+
			`{"src": "ein mann", "trg": "a man"}`+"\n"), 0o644)

	tok, _ := text.Load(filepath.Join(dir, "vocab.txt"))
	ds, err := data.LoadSplit(dir, "train", tok, data.Options{SeqLen: 12})
	if err != nil {
		fmt.Println(err)
		return
	}
	loader, _ := data.NewLoader(ds, data.LoaderOptions{BatchSize: 2})
	b, _ := loader.Next()
	for i := range b.InputIDs {
		fmt.Println(b.InputIDs[i], b.InputMask[i])
	}
	fmt.Println(tok.Decode(b.InputIDs[1]))
	// Output:
	// [0 7 8 9 1 1 0 4 5 6 1 3] [0 0 0 0 0 0 1 1 1 1 1 1]
	// [0 7 8 1 1 0 4 5 1 3 3 3] [0 0 0 0 0 1 1 1 1 1 1 1]
	// [START] ein mann [END] [END] [START] a man [END]
}
