package torchpt_test

import (
	"fmt"
	"log"

	"github.com/diffuseq-go/diffuseq/torchpt"
)

// Read a torch.save'd state dict; the transposed view comes out
// contiguous.
func Example() {
	sd, err := torchpt.ReadFile("../testdata/torchpt/proto4.pt")
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range sd.Tensors {
		v, _ := t.Float32()
		fmt.Println(sd.WrappedIn, t.Name, t.DType, t.Shape, v)
	}
	// Output: model w F32 [3 2] [0 3 1 4 2 5]
}
