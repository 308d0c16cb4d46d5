package torchpt

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testdata returns a file written by testdata/torchpt/gen.py.
func testdata(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(testenv.Root(t), "testdata", "torchpt", name)
}

var torchDType = map[string]string{
	"float32": "F32", "float16": "F16", "bfloat16": "BF16", "float64": "F64",
	"int64": "I64", "int32": "I32", "uint8": "U8", "bool": "BOOL",
}

// TestEdgeCases compares every tensor of edge.pt (transposed, offset and
// strided views, stride-0 broadcast, every dtype, empty, 0-d, Parameter,
// the same tensor under two names) with the values PyTorch printed.
func TestEdgeCases(t *testing.T) {
	sd, err := ReadFile(testdata(t, "edge.pt"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(testdata(t, "edge.expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want []struct {
		Name   string
		DType  string
		Shape  []int
		Values []json.RawMessage
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if len(sd.Tensors) != len(want) || sd.WrappedIn != "" {
		t.Fatalf("%d tensors (wrapped %q), want %d", len(sd.Tensors), sd.WrappedIn, len(want))
	}
	for i, w := range want {
		got := sd.Tensors[i]
		if got.Name != w.Name || got.DType != torchDType[w.DType] || !cmp.Equal(got.Shape, w.Shape, cmpopts.EquateEmpty()) {
			t.Errorf("tensor %d: got %s %s %v, want %s %s %v", i, got.Name, got.DType, got.Shape, w.Name, w.DType, w.Shape)
			continue
		}
		if strings.HasPrefix(w.DType, "float") || strings.HasPrefix(w.DType, "bfloat") {
			vals, err := got.Float64()
			if err != nil {
				t.Fatal(err)
			}
			if len(vals) != len(w.Values) {
				t.Fatalf("%s: %d values, want %d", w.Name, len(vals), len(w.Values))
			}
			for j, r := range w.Values {
				var s string
				json.Unmarshal(r, &s)
				x, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatal(err)
				}
				if vals[j] != x {
					t.Errorf("%s[%d] = %v, want %v", w.Name, j, vals[j], x)
				}
			}
			continue
		}
		vals, err := got.Int64()
		if err != nil {
			t.Fatal(err)
		}
		for j, r := range w.Values {
			x, _ := strconv.ParseInt(string(r), 10, 64)
			if vals[j] != x {
				t.Errorf("%s[%d] = %v, want %v", w.Name, j, vals[j], x)
			}
		}
	}
	if a, _ := sd.Lookup("contig"); a == nil {
		t.Error("Lookup(contig) failed")
	}
}

// TestTinyModel: the official tiny model saved by torch.save must equal
// the fixture's param/* tensors bit for bit, including the tied head.
func TestTinyModel(t *testing.T) {
	fx, err := safetensors.ReadFile(testenv.Shared(t, "fixtures", "diffuseq-tiny.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	sd, err := ReadFile(testdata(t, "diffuseq-tiny-model.pt"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range fx.Names() {
		pname, ok := strings.CutPrefix(name, "param/")
		if !ok {
			continue
		}
		n++
		e, _ := fx.Tensor(name)
		got, ok := sd.Lookup(pname)
		if !ok {
			t.Errorf("%s missing from the .pt", pname)
			continue
		}
		if got.DType != e.DType || !cmp.Equal(got.Shape, e.Shape) || !bytes.Equal(got.Data, e.Data) {
			t.Errorf("%s: %s %v differs from the fixture's %s %v", pname, got.DType, got.Shape, e.DType, e.Shape)
		}
	}
	if n != len(sd.Tensors) {
		t.Errorf(".pt has %d tensors, fixture %d params", len(sd.Tensors), n)
	}
	if sd.Tensors[0].Name != "position_ids" || sd.Tensors[1].Name != "word_embedding.weight" || sd.Tensors[2].Name != "lm_head.weight" {
		t.Errorf("state dict order starts %s, %s, %s", sd.Tensors[0].Name, sd.Tensors[1].Name, sd.Tensors[2].Name)
	}
}

// TestTinyEMA reads an EMA checkpoint laid out like the reference's (all
// entries nn.Parameter, lm_head.weight ≠ word_embedding.weight) against
// the float32 values gen.py stored beside it.
func TestTinyEMA(t *testing.T) {
	sd, err := ReadFile(testdata(t, "diffuseq-tiny-ema.pt"))
	if err != nil {
		t.Fatal(err)
	}
	exp, err := safetensors.ReadFile(testdata(t, "diffuseq-tiny-ema.expected.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.Tensors) != len(exp.Names()) {
		t.Fatalf("%d tensors, expected %d", len(sd.Tensors), len(exp.Names()))
	}
	for _, tn := range sd.Tensors {
		want, shape, err := exp.Float32(tn.Name)
		if err != nil {
			t.Fatal(err)
		}
		var got []float32
		if tn.DType == "I64" {
			iv, _ := tn.Int64()
			for _, v := range iv {
				got = append(got, float32(v))
			}
		} else if got, err = tn.Float32(); err != nil {
			t.Fatal(err)
		}
		if !cmp.Equal(tn.Shape, shape) || !cmp.Equal(got, want) {
			t.Errorf("%s differs from the expectation", tn.Name)
		}
	}
	w, _ := sd.Lookup("word_embedding.weight")
	l, _ := sd.Lookup("lm_head.weight")
	if bytes.Equal(w.Data, l.Data) {
		t.Error("EMA file should carry a raw lm_head.weight different from the EMA embedding")
	}
}

func TestWrapped(t *testing.T) {
	sd, err := ReadFile(testdata(t, "wrapped.pt"))
	if err != nil {
		t.Fatal(err)
	}
	if sd.WrappedIn != "model" || len(sd.Tensors) != 2 || sd.Tensors[0].Name != "w" || sd.Tensors[1].Name != "b" {
		t.Fatalf("wrapped: %q %v", sd.WrappedIn, sd.Tensors)
	}
}

// TestRefusals: a pickle that would run os.system under torch.load, and
// the legacy non-zip format, are refused with errors naming the file and
// the reason.
func TestRefusals(t *testing.T) {
	for file, want := range map[string]string{
		"evil.pt":   `"posix"."system", which is not on the state-dict allowlist`,
		"legacy.pt": "legacy (pre-1.6, non-zip)",
	} {
		_, err := ReadFile(testdata(t, file))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: err = %v, want it to name the file and say %q", file, err, want)
		}
	}
	if _, err := ReadFile(testdata(t, "gen.py")); err == nil || !strings.Contains(err.Error(), "not a torch.save zip") {
		t.Errorf("text file: err = %v", err)
	}
	if _, err := ReadFile(testdata(t, "no-such.pt")); err == nil {
		t.Error("missing file read")
	}
}

// TestTruncated: every prefix of a real checkpoint fails cleanly.
func TestTruncated(t *testing.T) {
	data, err := os.ReadFile(testdata(t, "edge.pt"))
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(data); n += 7 {
		if _, err := Parse(data[:n]); err == nil {
			t.Fatalf("prefix of %d/%d bytes parsed", n, len(data))
		}
	}
}

// TestCorrupt: a flipped byte inside a storage record fails the CRC-32
// check instead of yielding silently wrong weights.
func TestCorrupt(t *testing.T) {
	data, err := os.ReadFile(testdata(t, "wrapped.pt"))
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte{0, 0, 0x80, 0x3f}) // a float32 1.0 of "w"
	if i < 0 {
		t.Fatal("no 1.0 in wrapped.pt")
	}
	data[i+3] ^= 0x01
	if _, err := Parse(data); err == nil || !strings.Contains(err.Error(), "CRC-32 mismatch") {
		t.Fatalf("err = %v", err)
	}
}

// archiveWith builds a torch.save-like zip from name → (bytes, method).
func archiveWith(t *testing.T, records map[string][]byte, method uint16) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range records {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "archive/" + name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestArchiveRefusals: big-endian archives, compressed records, missing
// pickles and a file holding two archives are refused by name.
func TestArchiveRefusals(t *testing.T) {
	pkl := pickleOf(t, testdata(t, "wrapped.pt"))
	cases := []struct {
		file []byte
		want string
	}{
		{archiveWith(t, map[string][]byte{"data.pkl": pkl, "byteorder": []byte("big")}, zip.Store), `byteorder record says "big"`},
		{archiveWith(t, map[string][]byte{"data.pkl": pkl}, zip.Deflate), "is compressed"},
		{archiveWith(t, map[string][]byte{"version": []byte("3")}, zip.Store), "no <dir>/data.pkl"},
		{archiveWith(t, map[string][]byte{"data.pkl": []byte("\x80\x02N.")}, zip.Store), "top-level object is a None"},
		{archiveWith(t, map[string][]byte{"data.pkl": []byte("\x80\x02}X\x01\x00\x00\x00aK\x01s.")}, zip.Store), `keys ["a"]`},
	}
	for _, c := range cases {
		if _, err := Parse(c.file); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want %q", err, c.want)
		}
	}
	// A byteorder of "little" (PyTorch ≥ 2.1) is fine; wrapped.pt's storages
	// are missing here, so the error must come from them, not the byteorder.
	_, err := Parse(archiveWith(t, map[string][]byte{"data.pkl": pkl, "byteorder": []byte("little")}, zip.Store))
	if err == nil || !strings.Contains(err.Error(), "is missing") {
		t.Errorf("little-endian archive: err = %v", err)
	}
}
