package safetensors_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/diffuseq-go/diffuseq/safetensors"
)

// Write a checkpoint atomically, then read it back.
func Example() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")

	err = safetensors.WriteFile(path, []safetensors.Named{
		safetensors.F32("word_embedding.weight", []int{2, 3}, []float32{1, 2, 3, 4, 5, 6}),
		safetensors.I64("position_ids", []int{1, 4}, []int64{0, 1, 2, 3}),
	}, map[string]string{"tied": "lm_head.weight=word_embedding.weight"})
	if err != nil {
		log.Fatal(err)
	}

	f, err := safetensors.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	emb, shape, err := f.Float32("word_embedding.weight")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Names(), shape, emb, f.Metadata()["tied"])
	// Output: [position_ids word_embedding.weight] [2 3] [1 2 3 4 5 6] lm_head.weight=word_embedding.weight
}
