package safetensors

import (
	"bytes"
	"testing"
)

func benchTensors() []Named {
	var ts []Named
	for i := 0; i < 16; i++ {
		v := make([]float32, 1<<16)
		ts = append(ts, F32(string(rune('a'+i))+".weight", []int{256, 256}, v))
	}
	return ts
}

// BenchmarkEncode and BenchmarkParse: 16 tensors of 256×256 float32 (4 MiB).
func BenchmarkEncode(b *testing.B) {
	ts := benchTensors()
	var buf bytes.Buffer
	b.SetBytes(16 << 18)
	for b.Loop() {
		buf.Reset()
		if err := Encode(&buf, ts, map[string]string{"k": "v"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	var buf bytes.Buffer
	if err := Encode(&buf, benchTensors(), nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := Parse(buf.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}
