package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"unicode/utf8"
)

// MaxHeaderSize caps the JSON header (100 MiB, like the reference
// implementation), so a corrupt length field cannot make us parse or
// allocate gigabytes.
const MaxHeaderSize = 100 << 20

// File is a parsed safetensors file held in memory.
type File struct {
	entries  map[string]*Entry
	names    []string // sorted
	metadata map[string]string
}

// Entry is one tensor of a File. Data aliases the file's buffer: treat it
// as read-only.
type Entry struct {
	Name  string
	DType string // "F32", "F64", "I64", ...
	Shape []int  // row-major; empty for a scalar
	Data  []byte // little-endian elements, len = product(Shape) × DTypeSize(DType)
	// Offset is where Data starts, counted from the start of the file.
	Offset int64
}

// NumElements returns the product of the shape (1 for a scalar).
func (e *Entry) NumElements() int {
	n := 1
	for _, d := range e.Shape {
		n *= d
	}
	return n
}

// ReadFile reads and validates the safetensors file at path. Errors name
// the file and the offending tensor or field.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Parse validates a whole safetensors file held in data. The returned
// File's tensors alias data.
func Parse(data []byte) (*File, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("safetensors: file is %d bytes, shorter than the 8-byte header length", len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	if n > MaxHeaderSize {
		return nil, fmt.Errorf("safetensors: header length %d exceeds the %d-byte limit", n, MaxHeaderSize)
	}
	if n > uint64(len(data)-8) {
		return nil, fmt.Errorf("safetensors: header length %d runs past the end of the %d-byte file (truncated?)", n, len(data))
	}
	header, body := data[8:8+n], data[8+n:]
	f := &File{entries: map[string]*Entry{}, metadata: map[string]string{}}
	spans, err := f.parseHeader(header)
	if err != nil {
		return nil, fmt.Errorf("safetensors: header: %w", err)
	}
	if err := f.bind(body, int64(8+n), spans); err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	return f, nil
}

// rawEntry is a tensor's header record; pointers tell "missing" from zero.
type rawEntry struct {
	DType       *string  `json:"dtype"`
	Shape       *[]int64 `json:"shape"`
	DataOffsets *[]int64 `json:"data_offsets"`
}

// span is a tensor's byte range in the data region, kept until bind.
type span struct {
	begin, end int64
}

// parseHeader walks the top-level JSON object key by key so that
// duplicate names are caught (a plain map decode would keep the last).
func (f *File) parseHeader(header []byte) (map[string]span, error) {
	if !utf8.Valid(header) {
		return nil, errors.New("not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(header))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	spans := map[string]span{}
	sawMeta := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name := tok.(string) // object keys are always strings
		if name == "__metadata__" {
			if sawMeta {
				return nil, errors.New("duplicate __metadata__")
			}
			sawMeta = true
			if err := dec.Decode(&f.metadata); err != nil {
				return nil, fmt.Errorf("__metadata__: must map strings to strings: %w", err)
			}
			if f.metadata == nil { // "__metadata__": null
				f.metadata = map[string]string{}
			}
			continue
		}
		if _, dup := f.entries[name]; dup {
			return nil, fmt.Errorf("tensor %s appears twice", short(name))
		}
		var r rawEntry
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("tensor %s: %w", short(name), err)
		}
		e, s, err := checkEntry(name, r)
		if err != nil {
			return nil, fmt.Errorf("tensor %s: %w", short(name), err)
		}
		f.entries[name] = e
		spans[name] = s
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, err
	}
	if rest := header[dec.InputOffset():]; len(bytes.TrimRight(rest, " \t\r\n")) != 0 {
		return nil, errors.New("trailing bytes after the JSON object")
	}
	return spans, nil
}

// checkEntry validates one header record on its own: known dtype,
// non-negative dims, and shape × dtype size == end − begin without
// overflow.
func checkEntry(name string, r rawEntry) (*Entry, span, error) {
	if r.DType == nil || r.Shape == nil || r.DataOffsets == nil {
		return nil, span{}, errors.New("needs dtype, shape and data_offsets")
	}
	size, ok := dtypeSize[*r.DType]
	if !ok {
		return nil, span{}, fmt.Errorf("unknown dtype %s", short(*r.DType))
	}
	offs := *r.DataOffsets
	if len(offs) != 2 {
		return nil, span{}, fmt.Errorf("data_offsets has %d values, want [begin, end]", len(offs))
	}
	begin, end := offs[0], offs[1]
	if begin < 0 || end < begin {
		return nil, span{}, fmt.Errorf("data_offsets [%d, %d] are not an ordered pair of non-negative offsets", begin, end)
	}
	shape := make([]int, len(*r.Shape))
	n := int64(1)
	for i, d := range *r.Shape {
		if d < 0 || d > math.MaxInt {
			return nil, span{}, fmt.Errorf("shape %v: dimension %d out of range", *r.Shape, i)
		}
		if d != 0 && n > math.MaxInt64/d {
			return nil, span{}, fmt.Errorf("shape %v: element count overflows", *r.Shape)
		}
		n *= d
		shape[i] = int(d)
	}
	if n > math.MaxInt64/int64(size) || n*int64(size) > math.MaxInt {
		return nil, span{}, fmt.Errorf("shape %v: byte size overflows", *r.Shape)
	}
	if n*int64(size) != end-begin {
		return nil, span{}, fmt.Errorf("shape %v of %s needs %d bytes but data_offsets [%d, %d] hold %d",
			*r.Shape, *r.DType, n*int64(size), begin, end, end-begin)
	}
	return &Entry{Name: name, DType: *r.DType, Shape: shape}, span{begin, end}, nil
}

// bind checks that the tensors tile the data region exactly, in offset
// order with no gaps or overlaps, and points each Entry at its bytes.
func (f *File) bind(body []byte, dataStart int64, spans map[string]span) error {
	order := make([]string, 0, len(spans))
	for name := range spans {
		order = append(order, name)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := spans[order[i]], spans[order[j]]
		if a.begin != b.begin {
			return a.begin < b.begin
		}
		if a.end != b.end {
			return a.end < b.end
		}
		return order[i] < order[j]
	})
	next := int64(0)
	for _, name := range order {
		s := spans[name]
		if s.begin != next {
			if s.begin < next {
				return fmt.Errorf("tensor %s: data_offsets [%d, %d] overlap the previous tensor (which ends at %d)", short(name), s.begin, s.end, next)
			}
			return fmt.Errorf("tensor %s: data_offsets [%d, %d] leave a gap after byte %d", short(name), s.begin, s.end, next)
		}
		if s.end > int64(len(body)) {
			return fmt.Errorf("tensor %s: data_offsets [%d, %d] run past the %d-byte data region (truncated file?)", short(name), s.begin, s.end, len(body))
		}
		f.entries[name].Data = body[s.begin:s.end:s.end]
		f.entries[name].Offset = dataStart + s.begin
		next = s.end
	}
	if next != int64(len(body)) {
		return fmt.Errorf("data region is %d bytes but the tensors cover %d", len(body), next)
	}
	f.names = order
	sort.Strings(f.names)
	return nil
}

// Names returns the tensor names in sorted order.
func (f *File) Names() []string { return append([]string(nil), f.names...) }

// Metadata returns the __metadata__ map (empty, never nil, if absent).
// The caller may not modify it.
func (f *File) Metadata() map[string]string { return f.metadata }

// Tensor returns the named tensor.
func (f *File) Tensor(name string) (*Entry, bool) {
	e, ok := f.entries[name]
	return e, ok
}

func (f *File) lookup(name string) (*Entry, error) {
	e, ok := f.entries[name]
	if !ok {
		return nil, fmt.Errorf("safetensors: no tensor %q", name)
	}
	return e, nil
}

// Float32 returns the named tensor converted to float32 (from F32, F16 or
// BF16) and its shape.
func (f *File) Float32(name string) ([]float32, []int, error) {
	e, err := f.lookup(name)
	if err != nil {
		return nil, nil, err
	}
	v, err := DecodeFloat32(e.DType, e.Data)
	if err != nil {
		return nil, nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	return v, append([]int(nil), e.Shape...), nil
}

// Float64 returns the named tensor as float64 (from F64, or widened
// exactly from F32, F16 or BF16) and its shape.
func (f *File) Float64(name string) ([]float64, []int, error) {
	e, err := f.lookup(name)
	if err != nil {
		return nil, nil, err
	}
	v, err := DecodeFloat64(e.DType, e.Data)
	if err != nil {
		return nil, nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	return v, append([]int(nil), e.Shape...), nil
}

// Int64 returns the named tensor as int64 (from any integer dtype or
// BOOL) and its shape.
func (f *File) Int64(name string) ([]int64, []int, error) {
	e, err := f.lookup(name)
	if err != nil {
		return nil, nil, err
	}
	v, err := DecodeInt64(e.DType, e.Data)
	if err != nil {
		return nil, nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	return v, append([]int(nil), e.Shape...), nil
}

// short quotes an untrusted name for an error message, cut to 80 bytes
// so a hostile header cannot produce megabyte-long errors.
func short(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strconv.Quote(s)
}
