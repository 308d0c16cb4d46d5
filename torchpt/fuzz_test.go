package torchpt

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// checkResult asserts the invariants of a successful parse: known
// dtypes and byte lengths that match the shapes.
func checkResult(t *testing.T, sd *StateDict) {
	for _, tn := range sd.Tensors {
		n := 1
		for _, d := range tn.Shape {
			n *= d
		}
		size := map[string]int{"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}[tn.DType]
		if size == 0 || len(tn.Data) != n*size {
			t.Fatalf("%q: %s shape %v with %d bytes", tn.Name, tn.DType, tn.Shape, len(tn.Data))
		}
	}
}

// FuzzTorchPT: whole files (zip + pickle) parse or fail cleanly. Seeds are
// the smallest real files: minimizing a multi-kilobyte input is slow, and
// FuzzPickle covers the larger pickles.
func FuzzTorchPT(f *testing.F) {
	for _, name := range []string{"wrapped.pt", "evil.pt", "legacy.pt"} {
		b, err := os.ReadFile(testdata(f, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sd, err := Parse(data)
		if err == nil {
			checkResult(t, sd)
		}
	})
}

// storageZip wraps a pickle into a minimal torch.save archive with three
// small storages (keys "0", "1", "2"), so the fuzzer can mutate the
// pickle without breaking zip checksums.
func storageZip(t testing.TB, pkl []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, b []byte) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "archive/" + name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	put("data.pkl", pkl)
	put("data/0", bytes.Repeat([]byte{0, 0, 0x80, 0x3f}, 6)) // six float32 ones
	put("data/1", make([]byte, 16))
	put("data/2", []byte{1, 2, 3, 4})
	put("version", []byte("3\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pickleOf extracts data.pkl from a .pt file.
func pickleOf(t testing.TB, path string) []byte {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/data.pkl") {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return b
		}
	}
	t.Fatal("no data.pkl")
	return nil
}

// FuzzPickle mutates only the pickle program, the part an attacker
// controls most directly.
func FuzzPickle(f *testing.F) {
	f.Add(pickleOf(f, testdata(f, "wrapped.pt")))
	f.Add(pickleOf(f, testdata(f, "edge.pt")))
	f.Add(pickleOf(f, testdata(f, "evil.pt")))
	f.Fuzz(func(t *testing.T, pkl []byte) {
		data := storageZip(t, pkl)
		sd, err := Parse(data)
		if err == nil {
			checkResult(t, sd)
		}
	})
}

// TestStorageZipSeed checks the fuzz harness itself: a hand-written
// pickle over storageZip's records parses to the expected tensor.
func TestStorageZipSeed(t *testing.T) {
	// {'w': _rebuild_tensor_v2(('storage', FloatStorage, '0', 'cpu', 6), 1, (2, 2), (1, 2), False, OrderedDict())}
	pkl := []byte("\x80\x02}(X\x01\x00\x00\x00wctorch._utils\n_rebuild_tensor_v2\n" +
		"((X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x06tQ" +
		"K\x01K\x02K\x02\x86K\x01K\x02\x86\x89ccollections\nOrderedDict\n)RtRu.")
	sd, err := Parse(storageZip(t, pkl))
	if err != nil {
		t.Fatal(err)
	}
	w := sd.Tensors[0]
	v, _ := w.Float32()
	if w.Name != "w" || len(v) != 4 || v[0] != 1 || v[3] != 1 {
		t.Fatalf("got %+v %v", w, v)
	}
	// Official checkpoints were saved from a GPU: the storage location is
	// "cuda:0". The bytes are the same; the location is ignored.
	cuda := bytes.Replace(pkl, []byte("X\x03\x00\x00\x00cpu"), []byte("X\x06\x00\x00\x00cuda:0"), 1)
	if bytes.Equal(cuda, pkl) {
		t.Fatal("location not replaced")
	}
	if sd, err := Parse(storageZip(t, cuda)); err != nil || len(sd.Tensors) != 1 {
		t.Fatalf("cuda:0 storage: %v", err)
	}
	// The same view reaching past the 6-element storage is refused.
	bad := bytes.Replace(pkl, []byte("K\x01K\x02K\x02\x86K\x01K\x02\x86"), []byte("K\x01K\x02K\x03\x86K\x01K\x02\x86"), 1)
	if _, err := Parse(storageZip(t, bad)); err == nil || !strings.Contains(err.Error(), "reaches element") {
		t.Fatalf("out-of-storage view: err = %v", err)
	}
}
