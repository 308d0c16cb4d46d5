package text_test

import (
	"fmt"

	"github.com/diffuseq-go/diffuseq/text"
)

// ExampleWordPiece encodes and decodes with a BERT vocabulary.
func ExampleWordPiece() {
	wp, err := text.NewWordPiece([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
		"how", "can", "i", "make", "friend", "##s", "?", "cafe"}, true)
	if err != nil {
		fmt.Println(err)
		return
	}
	ids := wp.Encode("How can I make friends? Café")
	fmt.Println(ids)
	fmt.Println(wp.Decode(append(ids, wp.PadID(), wp.PadID())))
	// Output:
	// [2 5 6 7 8 9 10 11 12 3]
	// [CLS] how can i make friends? cafe [SEP]
}
