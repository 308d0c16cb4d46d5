package safetensors

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// raw builds a file from a literal header and a data region.
func raw(header string, data []byte) []byte {
	b := make([]byte, 8, 8+len(header)+len(data))
	binary.LittleEndian.PutUint64(b, uint64(len(header)))
	return append(append(b, header...), data...)
}

// TestParseRejects feeds hand-made hostile files; each must fail with an
// error that names the problem.
func TestParseRejects(t *testing.T) {
	huge := make([]byte, 8)
	binary.LittleEndian.PutUint64(huge, 1<<62)
	cases := []struct {
		file []byte
		want string
	}{
		{[]byte{1, 2, 3}, "shorter than"},
		{huge, "exceeds"},
		{raw(`{}`, nil)[:9], "runs past the end"},
		{raw(`[1]`, nil), "not a JSON object"},
		{raw(`{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, make([]byte, 4)), "run past"},
		{raw(`{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, make([]byte, 4)), "needs 8 bytes"},
		{raw(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}`, make([]byte, 6)), "overlap"},
		{raw(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)), "gap"},
		{raw(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 8)), "cover 4"},
		{raw(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)), "appears twice"},
		{raw(`{"x":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}`, make([]byte, 1)), "unknown dtype"},
		{raw(`{"x":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}`, make([]byte, 1)), "out of range"},
		{raw(`{"x":{"dtype":"U8","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,0]}}`, nil), "overflows"},
		{raw(`{"x":{"dtype":"F64","shape":[1152921504606846976],"data_offsets":[0,0]}}`, nil), "overflows"},
		{raw(`{"x":{"dtype":"U8","shape":[1],"data_offsets":[1,0]}}`, make([]byte, 1)), "ordered pair"},
		{raw(`{"x":{"dtype":"U8","shape":[1],"data_offsets":[0]}}`, make([]byte, 1)), "want [begin, end]"},
		{raw(`{"x":{"dtype":"U8","shape":[1]}}`, make([]byte, 1)), "needs dtype"},
		{raw(`{"__metadata__":{"a":1}}`, nil), "__metadata__"},
		{raw(`{} x`, nil), "trailing"},
		{raw("{\"\xff\":1}", nil), "UTF-8"},
	}
	for _, c := range cases {
		_, err := Parse(c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("file %q: err = %v, want it to mention %q", c.file, err, c.want)
		}
	}
}

// FuzzSafetensors: any input parses or fails cleanly, and anything that
// parses survives an Encode → Parse round trip unchanged.
func FuzzSafetensors(f *testing.F) {
	var good bytes.Buffer
	if err := Encode(&good, sampleTensors(), map[string]string{"k": "v"}); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Add(good.Bytes()[:len(good.Bytes())-3])
	f.Add(raw(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 4)))
	f.Add(raw(`{"__metadata__":null}`, nil))
	f.Add(raw(`{"":{"dtype":"BOOL","shape":[],"data_offsets":[0,1]}}`, []byte{1}))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			return
		}
		var ts []Named
		for _, name := range p.Names() {
			e, _ := p.Tensor(name)
			if len(e.Data) != e.NumElements()*dtypeSize[e.DType] {
				t.Fatalf("%q: %d bytes for shape %v", name, len(e.Data), e.Shape)
			}
			// Conversions must not panic whatever the dtype.
			p.Float32(name)
			p.Float64(name)
			p.Int64(name)
			ts = append(ts, Named{Name: name, DType: e.DType, Shape: e.Shape, Data: e.Data})
		}
		var buf bytes.Buffer
		if err := Encode(&buf, ts, p.Metadata()); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		q, err := Parse(buf.Bytes())
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if !cmp.Equal(p.Names(), q.Names()) || !cmp.Equal(p.Metadata(), q.Metadata(), cmpopts.EquateEmpty()) {
			t.Fatal("round trip changed names or metadata")
		}
		for _, name := range p.Names() {
			a, _ := p.Tensor(name)
			b, _ := q.Tensor(name)
			if a.DType != b.DType || !cmp.Equal(a.Shape, b.Shape) || !bytes.Equal(a.Data, b.Data) {
				t.Fatalf("round trip changed %q", name)
			}
		}
	})
}
