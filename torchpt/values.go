package torchpt

import (
	"fmt"
	"strconv"
)

// The Python values the pickle machine builds. Strings, ints (int64),
// floats (float64), bools and None (nil) map to Go values directly.

// tuple is an immutable Python tuple.
type tuple []any

// list is a Python list; a pointer so that APPEND mutates shared copies.
type list struct{ items []any }

// dict is an insertion-ordered Python dict (plain dict and OrderedDict).
// Keys are restricted to hashable scalars so a Go map can index them.
type dict struct {
	keys  []any
	vals  []any
	index map[any]int
}

func newDict() *dict { return &dict{index: map[any]int{}} }

// set stores key → val; an existing key keeps its position, as in Python.
func (d *dict) set(key, val any) error {
	switch key.(type) {
	case string, int64, bool, float64, nil:
	default:
		return fmt.Errorf("unsupported dict key of type %s", typeName(key))
	}
	if i, ok := d.index[key]; ok {
		d.vals[i] = val
		return nil
	}
	d.index[key] = len(d.keys)
	d.keys = append(d.keys, key)
	d.vals = append(d.vals, val)
	return nil
}

func (d *dict) get(key string) (any, bool) {
	i, ok := d.index[key]
	if !ok {
		return nil, false
	}
	return d.vals[i], true
}

// global is a resolved GLOBAL: only names on the allowlist become one.
type global struct{ module, name string }

// storageRef is a typed view of one storage record, from BINPERSID.
type storageRef struct {
	key   string
	dtype string // safetensors dtype name: F32, F16, BF16, F64, I64, ...
	size  int    // element size in bytes
	numel int
	data  []byte // numel × size bytes
}

// typeName names a value's Python type for error messages.
func typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case tuple:
		return "tuple"
	case *list:
		return "list"
	case *dict:
		return "dict"
	case global:
		return v.module + "." + v.name
	case *storageRef:
		return "storage"
	case *Tensor:
		return "tensor"
	case mark:
		return "mark"
	}
	return fmt.Sprintf("%T", v)
}

// quote shortens untrusted strings before they go into error messages.
func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strconv.Quote(s)
}

// mark is never on the value stack; it exists only for typeName.
type mark struct{}
