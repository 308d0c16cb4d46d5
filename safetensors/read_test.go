package safetensors

import (
	"math"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
)

// TestReadFixture opens the official DiffuSeq fixture (written by Python's
// safetensors library) and checks dtypes, shapes and a few values that
// the reference code fixes by construction.
func TestReadFixture(t *testing.T) {
	path := testenv.Shared(t, "fixtures", "diffuseq-tiny.safetensors")
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	names := f.Names()
	if len(names) < 100 {
		t.Fatalf("only %d tensors", len(names))
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Fatalf("Names not sorted at %d: %q, %q", i, names[i-1], names[i])
		}
	}
	if !strings.Contains(f.Metadata()["source"], "DiffuSeq") {
		t.Errorf("metadata = %v", f.Metadata())
	}

	// F32: a weight of the tiny model, (V, hidden_dim) = (50, 16).
	w, shape, err := f.Float32("param/word_embedding.weight")
	if err != nil {
		t.Fatal(err)
	}
	if len(shape) != 2 || shape[0] != 50 || shape[1] != 16 || len(w) != 800 {
		t.Fatalf("word_embedding shape %v len %d", shape, len(w))
	}
	// LayerNorm weights start at exactly 1 (PyTorch init).
	ln, _, err := f.Float32("param/LayerNorm.weight")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range ln {
		if v != 1 {
			t.Fatalf("LayerNorm.weight[%d] = %v, want 1", i, v)
		}
	}

	// I64: position_ids is arange(512) with shape (1, 512).
	ids, shape, err := f.Int64("param/position_ids")
	if err != nil {
		t.Fatal(err)
	}
	if len(shape) != 2 || shape[0] != 1 || shape[1] != 512 {
		t.Fatalf("position_ids shape %v", shape)
	}
	for i, v := range ids {
		if v != int64(i) {
			t.Fatalf("position_ids[%d] = %d", i, v)
		}
	}

	// F64: the sqrt schedule, alphas_cumprod decreasing in (0, 1), and
	// betas = 1 − alphas_cumprod[t]/alphas_cumprod[t−1].
	ac, shape, err := f.Float64("schedule/sqrt/alphas_cumprod")
	if err != nil {
		t.Fatal(err)
	}
	betas, _, err := f.Float64("schedule/sqrt/betas")
	if err != nil {
		t.Fatal(err)
	}
	if len(shape) != 1 || shape[0] != 2000 {
		t.Fatalf("alphas_cumprod shape %v", shape)
	}
	for i := 1; i < len(ac); i++ {
		if !(ac[i] < ac[i-1] && ac[i] > 0) {
			t.Fatalf("alphas_cumprod not decreasing at %d", i)
		}
		if got := 1 - ac[i]/ac[i-1]; math.Abs(got-betas[i]) > 1e-12 {
			t.Fatalf("betas[%d] = %v, 1−ᾱt/ᾱt−1 = %v", i, betas[i], got)
		}
	}

	// Conversions that must refuse.
	if _, _, err := f.Int64("param/LayerNorm.weight"); err == nil {
		t.Error("Int64 of an F32 tensor succeeded")
	}
	if _, _, err := f.Float32("param/position_ids"); err == nil {
		t.Error("Float32 of an I64 tensor succeeded")
	}
	if _, _, err := f.Float32("no/such"); err == nil || !strings.Contains(err.Error(), "no/such") {
		t.Errorf("missing tensor: err = %v", err)
	}
	// F32 widens to F64 exactly.
	w64, _, err := f.Float64("param/word_embedding.weight")
	if err != nil {
		t.Fatal(err)
	}
	for i := range w {
		if float64(w[i]) != w64[i] {
			t.Fatalf("widening mismatch at %d", i)
		}
	}
}

func TestFloat16Conversion(t *testing.T) {
	cases := []struct {
		h    uint16
		want float32
	}{
		{0x0000, 0}, {0x3c00, 1}, {0xc000, -2}, {0x7bff, 65504},
		{0x0001, float32(math.Ldexp(1, -24))}, {0x03ff, float32(math.Ldexp(1023, -24))},
		{0x0400, float32(math.Ldexp(1, -14))}, {0x3555, 0.333251953125},
		{0x7c00, float32(math.Inf(1))}, {0xfc00, float32(math.Inf(-1))},
	}
	for _, c := range cases {
		if got := Float16ToFloat32(c.h); got != c.want {
			t.Errorf("Float16ToFloat32(%#04x) = %v, want %v", c.h, got, c.want)
		}
	}
	if v := Float16ToFloat32(0x7e00); v == v {
		t.Error("0x7e00 is not NaN")
	}
	if math.Signbit(float64(Float16ToFloat32(0x8000))) == false {
		t.Error("-0 lost its sign")
	}
	// Round trip: every finite half survives float32 → half.
	for h := 0; h < 1<<16; h++ {
		if h&0x7c00 == 0x7c00 && h&0x3ff != 0 {
			continue // NaN payloads are canonicalised
		}
		if got := Float32ToFloat16(Float16ToFloat32(uint16(h))); got != uint16(h) {
			t.Fatalf("round trip %#04x → %#04x", h, got)
		}
	}
	// Ties to even: 1 + 2^-11 is halfway between 1 and 1+2^-10.
	if got := Float32ToFloat16(1 + 1.0/2048); got != 0x3c00 {
		t.Errorf("tie rounding: %#04x", got)
	}
	if got := Float32ToFloat16(70000); got != 0x7c00 {
		t.Errorf("overflow: %#04x", got)
	}
	if got := BFloat16ToFloat32(0x3f80); got != 1 {
		t.Errorf("bf16 1.0 = %v", got)
	}
}
