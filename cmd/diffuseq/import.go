package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/diffuseq-go/diffuseq/safetensors"
	"github.com/diffuseq-go/diffuseq/torchpt"
)

func init() {
	register(command{name: "import", summary: "convert an official DiffuSeq .pt checkpoint to safetensors", run: runImport})
}

// Metadata keys of an imported checkpoint (docs/checkpoints.md).
const (
	metaFormat   = "format"      // "diffuseq-go/model"
	metaConfig   = "config"      // JSON of modelConfig
	metaTied     = "tied"        // "lm_head.weight=word_embedding.weight"
	metaTiedFrom = "tied_source" // which .pt key supplied the shared matrix
	metaTiedDiff = "tied_max_abs_diff"
	modelFormat  = "diffuseq-go/model"
	tiedPair     = "lm_head.weight=word_embedding.weight"
)

func runImport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", stderr)
	out := fs.String("out", "", "output safetensors `file` (default: FILE with .pt replaced by .safetensors)")
	ema := fs.Bool("ema", false, "take the tied embedding/lm_head matrix from word_embedding.weight (the EMA copy in an ema_*.pt)\ninstead of lm_head.weight, the raw matrix the reference decoder actually runs with (reference 2.8)")
	heads := fs.Int("heads", 12, "attention heads (not inferable from the weights; the reference uses 12)")
	seqLen := fs.Int("seq-len", 128, "sequence length the model was trained with (not inferable; the reference uses 128)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: diffuseq import FILE.pt [--out model.safetensors] [--ema] [--heads N] [--seq-len L]")
		fmt.Fprintln(stderr, "\nConverts a torch.save'd DiffuSeq TransformerNetModel state dict (model_*.pt or ema_*.pt)\ninto a safetensors checkpoint. Flags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	in := pos[0]
	if *out == "" {
		*out = strings.TrimSuffix(in, ".pt") + ".safetensors"
	}
	if filepath.Clean(*out) == filepath.Clean(in) {
		return fmt.Errorf("--out %s would overwrite the input", *out)
	}
	res, err := importCheckpoint(in, importOptions{ema: *ema, heads: *heads, seqLen: *seqLen})
	if err != nil {
		return err
	}
	if err := safetensors.WriteFile(*out, res.tensors, res.metadata); err != nil {
		return err
	}
	c := res.config
	fmt.Fprintf(stdout, "%s → %s: %d tensors, %d parameters (V=%d d=%d d_t=%d H=%d layers=%d heads=%d FFN=%d positions=%d seq_len=%d)\n",
		in, *out, len(res.tensors), res.params, c.VocabSize, c.HiddenDim, c.HiddenTDim, c.HiddenSize,
		c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize, c.MaxPositionEmbeddings, c.SeqLen)
	fmt.Fprintf(stdout, "tied embedding taken from %s (max |lm_head.weight − word_embedding.weight| = %s)\n",
		res.metadata[metaTiedFrom], res.metadata[metaTiedDiff])
	return nil
}

// parseInterspersed lets flags follow the positional arguments
// ("import FILE.pt --out x"), which the flag package alone does not.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

type importOptions struct {
	ema           bool
	heads, seqLen int
}

type importResult struct {
	tensors  []safetensors.Named
	metadata map[string]string
	config   modelConfig
	params   int // unique trainable parameters (tied matrix once, no buffers)
}

// importCheckpoint reads a .pt state dict, validates it against the
// TransformerNetModel layout and resolves the tied matrix. Every error
// names the input file.
func importCheckpoint(path string, opt importOptions) (*importResult, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sd, err := torchpt.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	res, err := convertStateDict(sd, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sum := sha256.Sum256(raw)
	res.metadata["source_file"] = filepath.Base(path)
	res.metadata["source_sha256"] = hex.EncodeToString(sum[:])
	if sd.WrappedIn != "" {
		res.metadata["source_wrapped_in"] = sd.WrappedIn
	}
	// The reference names its saves ema_{rate}_{NNNNNN}.pt and
	// model_{NNNNNN}.pt (reference 4.4); keep the step and rate.
	if m := saveName.FindStringSubmatch(filepath.Base(path)); m != nil {
		if m[1] != "" {
			res.metadata["ema_rate"] = m[1]
		}
		step, _ := strconv.Atoi(m[2])
		res.metadata["step"] = strconv.Itoa(step)
	}
	return res, nil
}

var saveName = regexp.MustCompile(`^(?:ema_([0-9.]+)_|model_?)([0-9]+)\.pt$`)

func convertStateDict(sd *torchpt.StateDict, opt importOptions) (*importResult, error) {
	shape := func(name string) ([]int, bool) {
		t, ok := sd.Lookup(name)
		if !ok {
			return nil, false
		}
		return t.Shape, true
	}
	cfg, err := inferConfig(shape)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(sd.Tensors))
	for i, t := range sd.Tensors {
		names[i] = t.Name
	}
	if err := checkLayout(cfg, names, shape); err != nil {
		return nil, err
	}
	if opt.heads <= 0 || cfg.HiddenSize%opt.heads != 0 {
		return nil, fmt.Errorf("--heads %d does not divide hidden_size %d", opt.heads, cfg.HiddenSize)
	}
	if opt.seqLen <= 0 || opt.seqLen > cfg.MaxPositionEmbeddings {
		return nil, fmt.Errorf("--seq-len %d is outside 1..%d (rows of position_embeddings.weight)", opt.seqLen, cfg.MaxPositionEmbeddings)
	}
	cfg.NumAttentionHeads, cfg.SeqLen = opt.heads, opt.seqLen

	res := &importResult{config: cfg, metadata: map[string]string{}}
	f32 := map[string][]byte{} // F32 little-endian bytes of every weight
	for _, t := range sd.Tensors {
		if t.Name == "position_ids" {
			if err := checkPositionIDs(t); err != nil {
				return nil, err
			}
			res.tensors = append(res.tensors, safetensors.Named{Name: t.Name, DType: "I64", Shape: t.Shape, Data: int64Bytes(t)})
			continue
		}
		b, err := toF32Bytes(t)
		if err != nil {
			return nil, err
		}
		f32[t.Name] = b
	}

	// The tied matrix (reference 2.8): PyTorch's load_state_dict writes
	// word_embedding.weight, then lm_head.weight, into one shared tensor,
	// so the reference decoder runs with lm_head.weight — in an ema_*.pt
	// that is the raw matrix, not the EMA one. We reproduce that unless
	// --ema asks for the EMA copy.
	_, hasW := f32["word_embedding.weight"]
	_, hasL := f32["lm_head.weight"]
	source := "lm_head.weight"
	if !hasL || (opt.ema && hasW) {
		source = "word_embedding.weight"
	}
	diff := 0.0
	if hasW && hasL {
		w, _ := safetensors.DecodeFloat32("F32", f32["word_embedding.weight"])
		l, _ := safetensors.DecodeFloat32("F32", f32["lm_head.weight"])
		for i := range w {
			diff = math.Max(diff, math.Abs(float64(w[i])-float64(l[i])))
		}
	}
	tiedShape, _ := shape(source)
	for _, t := range sd.Tensors {
		switch t.Name {
		case "position_ids", "lm_head.weight", "word_embedding.weight":
			continue
		}
		res.tensors = append(res.tensors, safetensors.Named{Name: t.Name, DType: "F32", Shape: t.Shape, Data: f32[t.Name]})
		res.params += len(f32[t.Name]) / 4
	}
	res.tensors = append(res.tensors, safetensors.Named{Name: "word_embedding.weight", DType: "F32", Shape: tiedShape, Data: f32[source]})
	res.params += len(f32[source]) / 4

	cj, _ := json.Marshal(cfg)
	res.metadata[metaFormat] = modelFormat
	res.metadata[metaConfig] = string(cj)
	res.metadata[metaTied] = tiedPair
	res.metadata[metaTiedFrom] = source
	res.metadata[metaTiedDiff] = strconv.FormatFloat(diff, 'g', -1, 32)
	res.metadata["imported_by"] = "diffuseq import"
	return res, nil
}

// toF32Bytes converts a weight to float32 bytes as load_state_dict's
// copy into a float32 parameter would (F16/BF16 exactly, F64 rounded;
// F32 passes through uncopied), and refuses non-finite values, the mark of
// a diverged or corrupt checkpoint.
func toF32Bytes(t *torchpt.Tensor) ([]byte, error) {
	var b []byte
	switch t.DType {
	case "F32":
		b = t.Data
	case "F16", "BF16":
		v, _ := t.Float32()
		b = safetensors.F32("", nil, v).Data
	case "F64":
		d, _ := t.Float64()
		v := make([]float32, len(d))
		for i, x := range d {
			v[i] = float32(x)
		}
		b = safetensors.F32("", nil, v).Data
	default:
		return nil, fmt.Errorf("tensor %q is %s; want a floating-point weight", t.Name, t.DType)
	}
	for i := 0; i+4 <= len(b); i += 4 {
		if bits := binary.LittleEndian.Uint32(b[i:]); bits&0x7f800000 == 0x7f800000 { // exponent all ones: Inf or NaN
			return nil, fmt.Errorf("tensor %q holds %v at flat index %d", t.Name, math.Float32frombits(bits), i/4)
		}
	}
	return b, nil
}

// checkPositionIDs verifies the buffer is 0..P-1 (reference 2.7): our
// model indexes the position table directly.
func checkPositionIDs(t *torchpt.Tensor) error {
	ids, err := t.Int64()
	if err != nil {
		return fmt.Errorf("position_ids is %s; want an integer buffer", t.DType)
	}
	for i, v := range ids {
		if v != int64(i) {
			return fmt.Errorf("position_ids[%d] = %d; want 0..%d in order", i, v, len(ids)-1)
		}
	}
	return nil
}

func int64Bytes(t *torchpt.Tensor) []byte {
	ids, _ := t.Int64()
	return safetensors.I64("", nil, ids).Data
}
