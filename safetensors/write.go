package safetensors

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// Named is one tensor to write: raw little-endian bytes plus dtype and
// shape. Build float and integer tensors with F32, F64 and I64.
type Named struct {
	Name  string
	DType string
	Shape []int
	Data  []byte
}

// F32 packs v (row-major, product(shape) elements) as an F32 tensor.
func F32(name string, shape []int, v []float32) Named {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return Named{Name: name, DType: "F32", Shape: append([]int(nil), shape...), Data: b}
}

// F64 packs v as an F64 tensor.
func F64(name string, shape []int, v []float64) Named {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return Named{Name: name, DType: "F64", Shape: append([]int(nil), shape...), Data: b}
}

// I64 packs v as an I64 tensor.
func I64(name string, shape []int, v []int64) Named {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
	}
	return Named{Name: name, DType: "I64", Shape: append([]int(nil), shape...), Data: b}
}

// check validates t the same way the reader will, so we never write a
// file we would refuse to read.
func (t Named) check() error {
	if t.Name == "__metadata__" {
		return fmt.Errorf("safetensors: invalid tensor name %q", t.Name)
	}
	size, ok := dtypeSize[t.DType]
	if !ok {
		return fmt.Errorf("safetensors: tensor %q: unknown dtype %q", t.Name, t.DType)
	}
	n := 1
	for _, d := range t.Shape {
		if d < 0 || (d != 0 && n > math.MaxInt/d) {
			return fmt.Errorf("safetensors: tensor %q: bad shape %v", t.Name, t.Shape)
		}
		n *= d
	}
	if n > math.MaxInt/size || n*size != len(t.Data) {
		return fmt.Errorf("safetensors: tensor %q: shape %v of %s needs %d bytes, have %d",
			t.Name, t.Shape, t.DType, n*size, len(t.Data))
	}
	return nil
}

// Encode writes tensors and metadata in safetensors format to w. Output
// depends only on the set of inputs: JSON keys are sorted, the header is
// padded with spaces so the data region starts at an 8-byte aligned
// offset, and tensor bytes are ordered by element size then name so each
// tensor is aligned to its element size.
func Encode(w io.Writer, tensors []Named, metadata map[string]string) error {
	sorted := append([]Named(nil), tensors...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for i, t := range sorted {
		if err := t.check(); err != nil {
			return err
		}
		if i > 0 && sorted[i-1].Name == t.Name {
			return fmt.Errorf("safetensors: tensor %q given twice", t.Name)
		}
	}

	var h bytes.Buffer
	h.WriteByte('{')
	if len(metadata) > 0 {
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h.WriteString(`"__metadata__":{`)
		for i, k := range keys {
			if i > 0 {
				h.WriteByte(',')
			}
			writeJSONString(&h, k)
			h.WriteByte(':')
			writeJSONString(&h, metadata[k])
		}
		h.WriteByte('}')
	}
	// Data order: larger elements first, then by name, so every tensor
	// starts at a multiple of its element size (sizes are powers of two)
	// and can be used in place from an mmap, as the reference library
	// lays files out. The header lists tensors in name order.
	layout := append([]Named(nil), sorted...)
	sort.SliceStable(layout, func(i, j int) bool { return dtypeSize[layout[i].DType] > dtypeSize[layout[j].DType] })
	offsets := map[string]int{}
	end := 0
	for _, t := range layout {
		offsets[t.Name] = end
		end += len(t.Data)
	}
	for i, t := range sorted {
		if i > 0 || len(metadata) > 0 {
			h.WriteByte(',')
		}
		writeJSONString(&h, t.Name)
		h.WriteString(`:{"dtype":`)
		writeJSONString(&h, t.DType)
		h.WriteString(`,"shape":[`)
		for j, d := range t.Shape {
			if j > 0 {
				h.WriteByte(',')
			}
			h.WriteString(strconv.Itoa(d))
		}
		h.WriteString(`],"data_offsets":[`)
		h.WriteString(strconv.Itoa(offsets[t.Name]))
		h.WriteByte(',')
		h.WriteString(strconv.Itoa(offsets[t.Name] + len(t.Data)))
		h.WriteString("]}")
	}
	h.WriteByte('}')
	for (8+h.Len())%8 != 0 {
		h.WriteByte(' ') // JSON allows trailing whitespace; the format pads this way
	}
	if h.Len() > MaxHeaderSize {
		return fmt.Errorf("safetensors: header of %d bytes exceeds the %d-byte limit", h.Len(), MaxHeaderSize)
	}

	bw := bufio.NewWriterSize(w, 1<<20)
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(h.Len()))
	bw.Write(n[:])
	bw.Write(h.Bytes())
	for _, t := range layout {
		bw.Write(t.Data)
	}
	return bw.Flush() // bufio keeps the first write error and returns it here
}

// writeJSONString writes s as a JSON string without HTML escaping, so
// names like "a<b" stay readable in the header.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // cannot fail for a string
	b.Truncate(b.Len() - 1)
}

// WriteFile writes a safetensors file atomically: the bytes go to a
// temporary file in path's directory, which is fsynced, renamed over path,
// and then the directory is fsynced. A crash at any point leaves either
// the old file or the complete new one, never a partial checkpoint.
func WriteFile(path string, tensors []Named, metadata map[string]string) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := Encode(tmp, tensors, metadata); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Some systems cannot fsync a
// directory; that only weakens durability, so it is not an error there.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !isSyncUnsupported(err) {
		return err
	}
	return nil
}
