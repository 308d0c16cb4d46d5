package safetensors

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func sampleTensors() []Named {
	return []Named{
		F32("z.weight", []int{2, 3}, []float32{1, -2, 3.5, float32(math.Inf(1)), 0, -0.25}),
		I64("a.ids", []int{4}, []int64{0, -1, math.MaxInt64, math.MinInt64}),
		F64("m.sched", []int{}, []float64{math.Pi}),
		F32("empty", []int{0, 5}, nil),
		{Name: "h", DType: "F16", Shape: []int{2}, Data: []byte{0x00, 0x3c, 0x00, 0xc0}},
		{Name: "b<&>", DType: "BF16", Shape: []int{1}, Data: []byte{0x80, 0x3f}},
		{Name: "flag", DType: "BOOL", Shape: []int{3}, Data: []byte{1, 0, 1}},
	}
}

func encode(t *testing.T, ts []Named, meta map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, ts, meta); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	meta := map[string]string{"config": `{"hidden":16}`, "tied": "lm_head.weight=word_embedding.weight"}
	b := encode(t, sampleTensors(), meta)
	if n := binary.LittleEndian.Uint64(b); (8+n)%8 != 0 {
		t.Errorf("data region starts at %d, not 8-byte aligned", 8+n)
	}
	f, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	// Every tensor starts at a file offset that is a multiple of its
	// element size (the data region itself is 8-aligned).
	for _, name := range f.Names() {
		e, _ := f.Tensor(name)
		size, _ := DTypeSize(e.DType)
		if !bytes.Equal(b[e.Offset:e.Offset+int64(len(e.Data))], e.Data) {
			t.Errorf("%s: Offset %d does not locate its data", name, e.Offset)
		}
		if e.Offset%int64(size) != 0 {
			t.Errorf("%s (%s) starts at byte %d, not aligned to %d", name, e.DType, e.Offset, size)
		}
	}
	if diff := cmp.Diff(meta, f.Metadata()); diff != "" {
		t.Error(diff)
	}
	want := []string{"a.ids", "b<&>", "empty", "flag", "h", "m.sched", "z.weight"}
	if diff := cmp.Diff(want, f.Names()); diff != "" {
		t.Error(diff)
	}
	for _, nt := range sampleTensors() {
		e, ok := f.Tensor(nt.Name)
		if !ok {
			t.Fatalf("%q missing", nt.Name)
		}
		if e.DType != nt.DType || !cmp.Equal(e.Shape, nt.Shape, cmpopts.EquateEmpty()) || !bytes.Equal(e.Data, nt.Data) {
			t.Errorf("%q: got %s %v %x, want %s %v %x", nt.Name, e.DType, e.Shape, e.Data, nt.DType, nt.Shape, nt.Data)
		}
	}
	h, _, err := f.Float32("h")
	if err != nil || !cmp.Equal(h, []float32{1, -2}) {
		t.Errorf("F16 → %v, %v", h, err)
	}
	bf, _, err := f.Float32("b<&>")
	if err != nil || bf[0] != 1 {
		t.Errorf("BF16 → %v, %v", bf, err)
	}
	fl, _, err := f.Int64("flag")
	if err != nil || !cmp.Equal(fl, []int64{1, 0, 1}) {
		t.Errorf("BOOL → %v, %v", fl, err)
	}
	s, shape, err := f.Float64("m.sched")
	if err != nil || len(shape) != 0 || s[0] != math.Pi {
		t.Errorf("scalar → %v %v %v", s, shape, err)
	}
	if !strings.Contains(string(b), `"b<&>"`) {
		t.Error("header escaped HTML characters")
	}
}

// TestDeterministic: the bytes depend only on the set of tensors, not on
// the order they are given in.
func TestDeterministic(t *testing.T) {
	ts := sampleTensors()
	rev := append([]Named(nil), ts...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	meta := map[string]string{"b": "2", "a": "1"}
	if !bytes.Equal(encode(t, ts, meta), encode(t, rev, meta)) {
		t.Fatal("output depends on input order")
	}
}

func TestEncodeRejects(t *testing.T) {
	cases := map[string][]Named{
		"given twice":    {F32("x", []int{1}, []float32{1}), F32("x", []int{1}, []float32{2})},
		"needs 8 bytes":  {{Name: "x", DType: "F32", Shape: []int{2}, Data: make([]byte, 4)}},
		"unknown dtype":  {{Name: "x", DType: "F128", Shape: []int{}, Data: make([]byte, 16)}},
		"bad shape":      {{Name: "x", DType: "U8", Shape: []int{-1}, Data: nil}},
		"invalid tensor": {F32("__metadata__", []int{1}, []float32{1})},
	}
	for want, ts := range cases {
		err := Encode(&bytes.Buffer{}, ts, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v", want, err)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, sampleTensors(), map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Names()) != len(sampleTensors()) || f.Metadata()["k"] != "v" {
		t.Fatalf("read back %v %v", f.Names(), f.Metadata())
	}
	// A failed write (invalid tensor) leaves the previous file and no
	// temporary behind.
	before, _ := os.ReadFile(path)
	if err := WriteFile(path, []Named{{Name: "x", DType: "F32", Shape: []int{3}}}, nil); err == nil {
		t.Fatal("invalid tensor written")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("failed write changed the file")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries, want just the checkpoint", len(ents))
	}
	if err := WriteFile(filepath.Join(dir, "no", "such", "x.safetensors"), nil, nil); err == nil {
		t.Error("write into a missing directory succeeded")
	}
}
