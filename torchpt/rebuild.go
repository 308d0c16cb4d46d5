package torchpt

import (
	"errors"
	"fmt"
	"math"
)

// storageTypes maps torch's legacy typed-storage class names (what
// torch.save writes in a storage record, also in PyTorch 2.x) to the
// safetensors dtype and element size.
var storageTypes = map[string]struct {
	dtype string
	size  int
}{
	"FloatStorage":    {"F32", 4},
	"HalfStorage":     {"F16", 2},
	"BFloat16Storage": {"BF16", 2},
	"DoubleStorage":   {"F64", 8},
	"LongStorage":     {"I64", 8},
	"IntStorage":      {"I32", 4},
	"ShortStorage":    {"I16", 2},
	"CharStorage":     {"I8", 1},
	"ByteStorage":     {"U8", 1},
	"BoolStorage":     {"BOOL", 1},
}

// resolveGlobal admits only the globals a state dict needs. This is the
// security boundary: whatever else a pickle names is refused, never
// looked up or run.
func resolveGlobal(module, name string) (global, error) {
	ok := false
	switch module {
	case "collections":
		ok = name == "OrderedDict"
	case "torch._utils":
		ok = name == "_rebuild_tensor_v2" || name == "_rebuild_parameter" || name == "_rebuild_parameter_with_state"
	case "torch":
		_, ok = storageTypes[name]
	}
	if !ok {
		return global{}, fmt.Errorf("pickle refers to %s.%s, which is not on the state-dict allowlist; refusing (this reader never executes pickled code)", quote(module), quote(name))
	}
	return global{module, name}, nil
}

// call applies an allowlisted callable (REDUCE).
func (r *reader) call(fn global, args tuple) (any, error) {
	switch fn.module + "." + fn.name {
	case "collections.OrderedDict":
		if len(args) != 0 {
			return nil, fmt.Errorf("got %d arguments, want none", len(args))
		}
		return newDict(), nil
	case "torch._utils._rebuild_tensor_v2":
		return r.rebuildTensor(args)
	case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
		// (data, requires_grad, backward_hooks[, state]): a Parameter is
		// its data tensor for our purposes.
		if len(args) != 3 && len(args) != 4 {
			return nil, fmt.Errorf("got %d arguments, want 3 or 4", len(args))
		}
		t, ok := args[0].(*Tensor)
		if !ok {
			return nil, fmt.Errorf("data is a %s, not a tensor", typeName(args[0]))
		}
		return t, nil
	}
	return nil, errors.New("is a type, not a function that can be called here")
}

// persistentLoad resolves a storage record
// ('storage', storage_type, key, location, numel) to the bytes of the
// zip entry <prefix>/data/<key>.
func (r *reader) persistentLoad(pid any) (any, error) {
	t, ok := pid.(tuple)
	if !ok || len(t) != 5 {
		return nil, fmt.Errorf("persistent id is a %s, want a 5-tuple ('storage', type, key, location, numel)", typeName(pid))
	}
	if s, _ := t[0].(string); s != "storage" {
		return nil, fmt.Errorf("persistent id kind %v, want 'storage'", t[0])
	}
	g, ok := t[1].(global)
	st, known := storageTypes[g.name]
	if !ok || g.module != "torch" || !known {
		return nil, fmt.Errorf("storage type is a %s, not a torch storage class", typeName(t[1]))
	}
	key, ok := t[2].(string)
	if !ok {
		return nil, fmt.Errorf("storage key is a %s, not a string", typeName(t[2]))
	}
	numel, ok := t[4].(int64)
	if !ok || numel < 0 {
		return nil, fmt.Errorf("storage %s: element count %v is not a non-negative int", quote(key), t[4])
	}
	data, err := r.storageBytes(key)
	if err != nil {
		return nil, err
	}
	if numel > int64(len(data))/int64(st.size) || numel*int64(st.size) != int64(len(data)) {
		return nil, fmt.Errorf("storage %s: %d elements of %s need %d bytes, the record holds %d",
			quote(key), numel, st.dtype, numel*int64(st.size), len(data))
	}
	return &storageRef{key: key, dtype: st.dtype, size: st.size, numel: int(numel), data: data}, nil
}

// rebuildTensor implements _rebuild_tensor_v2(storage, storage_offset,
// size, stride, requires_grad, backward_hooks[, metadata]): it checks
// that the view stays inside the storage and makes it contiguous.
func (r *reader) rebuildTensor(args tuple) (*Tensor, error) {
	if len(args) != 6 && len(args) != 7 {
		return nil, fmt.Errorf("got %d arguments, want 6 or 7", len(args))
	}
	st, ok := args[0].(*storageRef)
	if !ok {
		return nil, fmt.Errorf("storage is a %s", typeName(args[0]))
	}
	offset, ok := args[1].(int64)
	if !ok || offset < 0 {
		return nil, fmt.Errorf("storage offset %v is not a non-negative int", args[1])
	}
	shape, err := intTuple(args[2], "size")
	if err != nil {
		return nil, err
	}
	stride, err := intTuple(args[3], "stride")
	if err != nil {
		return nil, err
	}
	if len(stride) != len(shape) {
		return nil, fmt.Errorf("size %v and stride %v differ in rank", shape, stride)
	}
	v := view{offset: offset, shape: shape, stride: stride}
	n, err := v.check(int64(st.numel))
	if err != nil {
		return nil, fmt.Errorf("storage %s: %w", quote(st.key), err)
	}
	if !v.contiguous() { // only copies cost memory; contiguous views alias the file
		if err := r.spend(n * int64(st.size)); err != nil {
			return nil, err
		}
	}
	dims := make([]int, len(shape))
	for i, d := range shape {
		dims[i] = int(d)
	}
	return &Tensor{DType: st.dtype, Shape: dims, Data: v.gather(st.data, st.size, int(n))}, nil
}

func intTuple(v any, what string) ([]int64, error) {
	t, ok := v.(tuple)
	if !ok {
		return nil, fmt.Errorf("%s is a %s, not a tuple", what, typeName(v))
	}
	out := make([]int64, len(t))
	for i, x := range t {
		n, ok := x.(int64)
		if !ok || n < 0 || n > math.MaxInt32 { // int-sized on every platform
			return nil, fmt.Errorf("%s[%d] = %v is not a valid dimension", what, i, x)
		}
		out[i] = n
	}
	return out, nil
}
