package torchpt

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"strings"

	"github.com/diffuseq-go/diffuseq/safetensors"
)

// Tensor is one entry of a state dict, contiguous (row-major) whatever
// its strides in the file. Data aliases the file buffer when the view was
// already contiguous, and is shared by names bound to the same tensor:
// treat it as read-only.
type Tensor struct {
	Name  string
	DType string // safetensors dtype name: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL
	Shape []int  // empty for a 0-d tensor
	Data  []byte // little-endian elements
}

// Float32 converts F32, F16 or BF16 data to float32.
func (t *Tensor) Float32() ([]float32, error) {
	v, err := safetensors.DecodeFloat32(t.DType, t.Data)
	if err != nil {
		return nil, fmt.Errorf("tensor %s: %w", quote(t.Name), err)
	}
	return v, nil
}

// Float64 converts F64 (or widens F32, F16, BF16) data to float64.
func (t *Tensor) Float64() ([]float64, error) {
	v, err := safetensors.DecodeFloat64(t.DType, t.Data)
	if err != nil {
		return nil, fmt.Errorf("tensor %s: %w", quote(t.Name), err)
	}
	return v, nil
}

// Int64 converts integer or BOOL data to int64.
func (t *Tensor) Int64() ([]int64, error) {
	v, err := safetensors.DecodeInt64(t.DType, t.Data)
	if err != nil {
		return nil, fmt.Errorf("tensor %s: %w", quote(t.Name), err)
	}
	return v, nil
}

// Named returns t as a safetensors tensor (sharing Data).
func (t *Tensor) Named() safetensors.Named {
	return safetensors.Named{Name: t.Name, DType: t.DType, Shape: t.Shape, Data: t.Data}
}

// StateDict is the ordered list of tensors found in a .pt file.
type StateDict struct {
	Tensors []*Tensor // in the file's (insertion) order
	// WrappedIn names the top-level key the state dict was found under
	// (e.g. "state_dict", "model"), or "" when the file is the dict itself.
	WrappedIn string
	byName    map[string]*Tensor
}

// Lookup returns the tensor with the given state-dict name.
func (s *StateDict) Lookup(name string) (*Tensor, bool) {
	t, ok := s.byName[name]
	return t, ok
}

// wrapperKeys are the top-level keys checked, in order, when the file is
// not itself a state dict (training scripts often save {"model": sd, ...}).
var wrapperKeys = []string{"state_dict", "model_state_dict", "model", "module", "ema", "ema_state_dict", "params"}

// ReadFile reads the state dict in the torch.save zip file at path. Errors
// name the file and what is wrong with it.
func ReadFile(path string) (*StateDict, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sd, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sd, nil
}

// reader holds the archive while the pickle is run.
type reader struct {
	file     []byte               // the whole .pt file
	records  map[string]*zip.File // zip entries under the archive prefix
	prefix   string
	storages map[string][]byte
	budget   int64 // bytes of tensor data still allowed (see maxOutput)
	limit    int64 // the initial budget, for error messages
}

// maxOutput bounds the bytes one file may make us allocate for copies of
// non-contiguous views (contiguous ones alias the file): twice the file
// size (a storage may be viewed by several tensors, e.g. a weight and its
// transpose) plus 64 MiB for small broadcast views.
func maxOutput(fileSize int) int64 { return 2*int64(fileSize) + 64<<20 }

// Parse reads a state dict from the bytes of a torch.save zip file.
func Parse(data []byte) (*StateDict, error) {
	if len(data) >= 2 && data[0] == 0x80 && data[1] <= 5 {
		return nil, errors.New("this is a legacy (pre-1.6, non-zip) torch.save file; re-save it with a newer PyTorch (torch.save's default zip format)")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a torch.save zip archive: %w", err)
	}
	r := &reader{file: data, records: map[string]*zip.File{}, storages: map[string][]byte{}, budget: maxOutput(len(data)), limit: maxOutput(len(data))}
	if err := r.index(zr); err != nil {
		return nil, err
	}
	if bo, ok := r.records["byteorder"]; ok {
		b, err := r.readRecord(bo)
		if err != nil {
			return nil, err
		}
		if s := strings.TrimSpace(string(b)); s != "little" {
			return nil, fmt.Errorf("byteorder record says %s; only little-endian checkpoints are supported", quote(s))
		}
	}
	pkl, err := r.readRecord(r.records["data.pkl"])
	if err != nil {
		return nil, err
	}
	m := &machine{code: pkl, persistentLoad: r.persistentLoad, call: r.call}
	root, err := m.run()
	if err != nil {
		return nil, err
	}
	return findStateDict(root)
}

// index maps the archive's records by their name below the single
// top-level directory that holds data.pkl ("archive/" or the file stem).
func (r *reader) index(zr *zip.Reader) error {
	for _, f := range zr.File {
		dir, rest, ok := strings.Cut(f.Name, "/")
		if ok && rest == "data.pkl" {
			if r.prefix != "" {
				return fmt.Errorf("archive holds two pickles (%s/data.pkl and %s/data.pkl)", quote(r.prefix), quote(dir))
			}
			r.prefix = dir
		}
	}
	if r.prefix == "" {
		return errors.New("archive has no <dir>/data.pkl record; not a torch.save file")
	}
	for _, f := range zr.File {
		rest, ok := strings.CutPrefix(f.Name, r.prefix+"/")
		if !ok {
			continue
		}
		if _, dup := r.records[rest]; dup {
			return fmt.Errorf("archive holds record %s twice", quote(f.Name))
		}
		r.records[rest] = f
	}
	return nil
}

// readRecord returns one zip entry's bytes, aliasing the file buffer
// (no copy) after checking its CRC-32. torch.save stores entries
// uncompressed; compressed entries are refused, so a small file can never
// inflate into a huge one.
func (r *reader) readRecord(f *zip.File) ([]byte, error) {
	if f.Method != zip.Store {
		return nil, fmt.Errorf("record %s is compressed (method %d); torch.save writes stored records only", quote(f.Name), f.Method)
	}
	if f.UncompressedSize64 != f.CompressedSize64 {
		return nil, fmt.Errorf("record %s: stored sizes disagree", quote(f.Name))
	}
	off, err := f.DataOffset()
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", quote(f.Name), err)
	}
	if off < 0 || off > int64(len(r.file)) || f.CompressedSize64 > uint64(int64(len(r.file))-off) {
		return nil, fmt.Errorf("record %s runs past the end of the file (truncated?)", quote(f.Name))
	}
	b := r.file[off : off+int64(f.CompressedSize64) : off+int64(f.CompressedSize64)]
	if crc32.ChecksumIEEE(b) != f.CRC32 {
		return nil, fmt.Errorf("record %s: CRC-32 mismatch (corrupt file)", quote(f.Name))
	}
	return b, nil
}

// storageBytes loads (once) the record data/<key>.
func (r *reader) storageBytes(key string) ([]byte, error) {
	if b, ok := r.storages[key]; ok {
		return b, nil
	}
	f, ok := r.records["data/"+key]
	if !ok {
		return nil, fmt.Errorf("storage %s: record %s/data/%s is missing", quote(key), r.prefix, key)
	}
	b, err := r.readRecord(f)
	if err != nil {
		return nil, err
	}
	r.storages[key] = b
	return b, nil
}

// spend charges n bytes of tensor output against the budget.
func (r *reader) spend(n int64) error {
	if n > r.budget {
		return fmt.Errorf("tensors would need more than %d bytes, out of proportion to the file size", r.limit)
	}
	r.budget -= n
	return nil
}

// findStateDict accepts a dict of tensors at the top level or under one
// of wrapperKeys.
func findStateDict(root any) (*StateDict, error) {
	d, ok := root.(*dict)
	if !ok {
		return nil, fmt.Errorf("top-level object is a %s, not a state dict", typeName(root))
	}
	if tensorCount(d) == len(d.keys) && len(d.keys) > 0 {
		return asStateDict(d)
	}
	for _, k := range wrapperKeys {
		v, _ := d.get(k)
		if inner, ok := v.(*dict); ok && len(inner.keys) > 0 && tensorCount(inner) == len(inner.keys) {
			sd, err := asStateDict(inner)
			if err != nil {
				return nil, fmt.Errorf("under key %s: %w", quote(k), err)
			}
			sd.WrappedIn = k
			return sd, nil
		}
	}
	if tensorCount(d) > 0 {
		return asStateDict(d) // a state dict with a bad entry: name it
	}
	keys := make([]string, 0, 8)
	for i, k := range d.keys {
		if i == 8 {
			keys = append(keys, "…")
			break
		}
		keys = append(keys, quote(fmt.Sprint(k)))
	}
	return nil, fmt.Errorf("no state dict found: the top-level dict (keys %v) does not map names to tensors, and none of the keys %v holds one", keys, wrapperKeys)
}

// tensorCount counts the tensor values of d.
func tensorCount(d *dict) int {
	n := 0
	for _, v := range d.vals {
		if _, ok := v.(*Tensor); ok {
			n++
		}
	}
	return n
}

func asStateDict(d *dict) (*StateDict, error) {
	if len(d.keys) == 0 {
		return nil, errors.New("the state dict is empty")
	}
	sd := &StateDict{byName: map[string]*Tensor{}}
	for i, k := range d.keys {
		name, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("state dict key %v is a %s, not a string", k, typeName(k))
		}
		t, ok := d.vals[i].(*Tensor)
		if !ok {
			return nil, fmt.Errorf("state dict entry %s is a %s, not a tensor", quote(name), typeName(d.vals[i]))
		}
		// The same tensor object can sit under two names (a tied
		// weight); each name gets its own Tensor sharing the bytes.
		sd.Tensors = append(sd.Tensors, &Tensor{Name: name, DType: t.DType, Shape: t.Shape, Data: t.Data})
		sd.byName[name] = sd.Tensors[len(sd.Tensors)-1]
	}
	return sd, nil
}
