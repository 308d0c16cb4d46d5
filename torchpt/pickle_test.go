package torchpt

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// runPickle executes a plain pickle with no archive behind it.
func runPickle(code []byte) (any, error) {
	r := &reader{records: map[string]*zip.File{}, storages: map[string][]byte{}, budget: maxOutput(len(code))}
	m := &machine{code: code, persistentLoad: r.persistentLoad, call: r.call}
	return m.run()
}

// sameValue compares a machine value with the JSON Python wrote for the
// same object (tuples and lists become arrays, dict keys strings).
func sameValue(got, want any, path string) error {
	switch w := want.(type) {
	case nil:
		if got != nil {
			return fmt.Errorf("%s: got %v, want None", path, got)
		}
	case bool:
		if got != w {
			return fmt.Errorf("%s: got %v, want %v", path, got, w)
		}
	case string:
		if got != w {
			return fmt.Errorf("%s: got %q, want %q", path, got, w)
		}
	case json.Number:
		if strings.ContainsAny(string(w), ".eE") {
			f, _ := w.Float64()
			if got != f {
				return fmt.Errorf("%s: got %v, want float %v", path, got, f)
			}
		} else {
			i, err := strconv.ParseInt(string(w), 10, 64)
			if err != nil || got != i {
				return fmt.Errorf("%s: got %v (%T), want int %s", path, got, got, w)
			}
		}
	case []any:
		var items []any
		switch g := got.(type) {
		case tuple:
			items = g
		case *list:
			items = g.items
		default:
			return fmt.Errorf("%s: got a %s, want a sequence", path, typeName(got))
		}
		if len(items) != len(w) {
			return fmt.Errorf("%s: %d items, want %d", path, len(items), len(w))
		}
		for i := range w {
			if err := sameValue(items[i], w[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case map[string]any:
		d, ok := got.(*dict)
		if !ok || len(d.keys) != len(w) {
			return fmt.Errorf("%s: got %s, want a dict of %d", path, typeName(got), len(w))
		}
		for i, k := range d.keys {
			ks := fmt.Sprint(k)
			if err := sameValue(d.vals[i], w[ks], path+"."+ks); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%s: unexpected JSON %T", path, want)
	}
	return nil
}

// TestValuesPickles runs pickles Python wrote at protocols 2 and 4 (every
// accepted opcode but LIST/DICT, which are protocol 0/1) and compares the
// result with Python's own JSON of the object.
func TestValuesPickles(t *testing.T) {
	raw, err := os.ReadFile(testdata(t, "values.expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"values2.pkl", "values4.pkl"} {
		code, err := os.ReadFile(testdata(t, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := runPickle(code)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := sameValue(got, want, name); err != nil {
			t.Error(err)
		}
		// The memo shares one list object between two places.
		sh, _ := got.(*dict).get("shared")
		if l := sh.(*list).items; l[0] != l[1] {
			t.Errorf("%s: memoized list not shared", name)
		}
	}
}

// TestProtocol4 reads a torch.save at pickle protocol 4.
func TestProtocol4(t *testing.T) {
	sd, err := ReadFile(testdata(t, "proto4.pt"))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := sd.Tensors[0].Float32()
	if sd.WrappedIn != "model" || fmt.Sprint(sd.Tensors[0].Shape, v) != "[3 2] [0 3 1 4 2 5]" {
		t.Fatalf("got %q %v %v", sd.WrappedIn, sd.Tensors[0].Shape, v)
	}
}

// TestPickleOps covers hand-written programs: the protocol-0/1 LIST and
// DICT opcodes, and malformed programs that must fail with a reason.
func TestPickleOps(t *testing.T) {
	got, err := runPickle([]byte("\x80\x02(K\x01K\x02l(X\x01\x00\x00\x00kNd\x86."))
	if err != nil {
		t.Fatal(err)
	}
	if err := sameValue(got, []any{[]any{json.Number("1"), json.Number("2")}, map[string]any{"k": nil}}, "ops"); err != nil {
		t.Error(err)
	}
	bad := []struct{ code, want string }{
		{"", "ends without STOP"},
		{"\x80\x02K\x01K\x02.", "want exactly 1 value"},
		{"\x80\x09N.", "protocol 9"},
		{"\x80\x02X\xff\xff\xff\xffab.", "runs past the end"},
		{"\x80\x02X\x00\x00\x00\x80.", "runs past the end"},
		{"\x80\x02h\x05.", "memo key 5 was never stored"},
		{"\x80\x02t.", "no MARK"},
		{"\x80\x02R.", "stack underflow"},
		{"\x80\x02(K\x01.", "marks on the stack"},
		{"\x80\x02]K\x01K\x02s.", "SETITEM on a list"},
		{"\x80\x02}]K\x01s.", "unsupported dict key of type list"},
		{"\x80\x02cos\nsystem\n.", `"os"."system"`},
		{"\x80\x02cbuiltins\neval\n.", `"builtins"."eval"`},
		{"\x80\x02ccollections\nOrderedDict\nK\x01\x85R.", "got 1 arguments"},
		{"\x80\x02ctorch\nFloatStorage\n)R.", "is a type"},
		{"\x80\x02K\x01)R.", "REDUCE calls a int"},
		{"\x80\x02K\x01K\x02b.", "BUILD on a int"},
		{"\x80\x02N.", ""}, // None is a valid program (not a state dict, but the machine accepts it)
		{"\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01.", "does not fit in int64"},
		{"\x80\x02S'a'\n.", "not used by torch.save"},
		{"\x80\x02c" + strings.Repeat("a", 300) + "\nb\n.", "longer than 256"},
		{"\x80\x02(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x01tQ.", `record /data/0 is missing`},
		{"\x80\x02(X\x07\x00\x00\x00storageK\x01X\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x01tQ.", "not a torch storage class"},
	}
	for _, c := range bad {
		_, err := runPickle([]byte(c.code))
		if c.want == "" {
			if err != nil {
				t.Errorf("%q: %v", c.code, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.code, err, c.want)
		}
	}
	// LONG1 sign handling.
	for code, want := range map[string]int64{
		"\x80\x02\x8a\x00.":                                     0,
		"\x80\x02\x8a\x01\xff.":                                 -1,
		"\x80\x02\x8a\x02\x00\x80.":                             -32768,
		"\x80\x02\x8a\x09\xff\xff\xff\xff\xff\xff\xff\x7f\x00.": 1<<63 - 1,
		"\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x80\xff.": -1 << 63,
	} {
		got, err := runPickle([]byte(code))
		if err != nil || got != want {
			t.Errorf("%q = %v, %v; want %d", code, got, err, want)
		}
	}
}

// TestHugeDimOfEmptyTensor: an empty tensor may not smuggle a dimension
// that overflows int on 32-bit platforms.
func TestHugeDimOfEmptyTensor(t *testing.T) {
	pkl := []byte("\x80\x02}(X\x01\x00\x00\x00wctorch._utils\n_rebuild_tensor_v2\n" +
		"((X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x06tQ" +
		"K\x00\x8a\x05\x00\x00\x00\x00\x01K\x00\x86K\x01K\x01\x86\x89ccollections\nOrderedDict\n)RtRu.")
	if _, err := Parse(storageZip(t, pkl)); err == nil || !strings.Contains(err.Error(), "size[0] = 4294967296 is not a valid dimension") {
		t.Fatalf("err = %v", err)
	}
}
