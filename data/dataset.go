package data

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/diffuseq-go/diffuseq/text"
)

// Options configure how a jsonl file becomes a Dataset.
type Options struct {
	// SeqLen is L, the length of every row (source + target + specials).
	SeqLen int
	// SkipBad skips bad lines (counting them) instead of failing on the
	// first one.
	SkipBad bool
	// Stream keeps only an index (offset and length of each line) in
	// memory and re-reads and re-encodes lines from the file when batches
	// are built, for files larger than memory. Otherwise the encoded rows
	// are kept, unpadded, in memory.
	Stream bool
}

// Dataset is the tokenised examples of one jsonl file, addressable by
// record number 0..Len()-1 (the good lines in file order).
type Dataset struct {
	path string
	tok  text.Tokenizer
	opt  Options

	offsets []int64   // (N) byte offset of each record's line
	lines   []int32   // (N) 1-based line number of each record
	lengths []uint16  // (N) unpadded row length, for bucketing
	srcLens []uint16  // (N) mask-0 prefix length (source, its end, separator)
	rows    [][]int32 // (N, ≤L) unpadded ids, unless streaming

	skipped  int
	firstBad []error // the first few skipped problems, for reports
	file     *os.File
}

// maxReportedBad bounds Dataset.SkippedErrors.
const maxReportedBad = 10

// Load reads and tokenises a jsonl file (one streaming pass). With
// SkipBad, bad lines are counted (Skipped) and left out; otherwise the
// first bad line's *LineError is returned.
func Load(path string, tok text.Tokenizer, opt Options) (*Dataset, error) {
	if opt.SeqLen < MinSeqLen {
		return nil, fmt.Errorf("seq_len %d is too small (minimum %d)", opt.SeqLen, MinSeqLen)
	}
	if opt.SeqLen > 65535 {
		return nil, fmt.Errorf("seq_len %d is too large (maximum 65535)", opt.SeqLen)
	}
	r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	ds := &Dataset{path: path, tok: tok, opt: opt}
	ids := make([]int, opt.SeqLen)
	mask := make([]int, opt.SeqLen)
	for {
		ex, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if opt.SkipBad && IsLineError(err) {
				ds.skip(err)
				continue
			}
			return nil, err
		}
		n := ds.encode(ex, ids, mask)
		ds.offsets = append(ds.offsets, ex.Offset)
		ds.lines = append(ds.lines, int32(ex.Line))
		ds.lengths = append(ds.lengths, uint16(n))
		ds.srcLens = append(ds.srcLens, uint16(srcLen(mask)))
		if !opt.Stream {
			row := make([]int32, n)
			for i := range row {
				row[i] = int32(ids[i])
			}
			ds.rows = append(ds.rows, row)
		}
	}
	if len(ds.offsets) == 0 {
		if ds.skipped > 0 {
			return nil, fmt.Errorf("%s: no usable lines (%d bad, first: %v)", path, ds.skipped, ds.firstBad[0])
		}
		return nil, fmt.Errorf("%s: no examples", path)
	}
	if opt.Stream {
		if ds.file, err = os.Open(path); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

func (ds *Dataset) skip(err error) {
	ds.skipped++
	if len(ds.firstBad) < maxReportedBad {
		ds.firstBad = append(ds.firstBad, err)
	}
}

// encode fills ids/mask (length L) for ex and returns the unpadded length
// (the position after the target's end token).
func (ds *Dataset) encode(ex Example, ids, mask []int) int {
	Join(ids, mask, ds.tok.Encode(ex.Src), ds.tok.Encode(ex.Trg), ds.tok.SepID(), ds.tok.PadID())
	n := len(ids)
	for n > 0 && ids[n-1] == ds.tok.PadID() && mask[n-1] == 1 {
		n--
	}
	// The row ends with the target's end token, so this stops exactly there.
	return n
}

// srcLen counts the leading zeros of a mask.
func srcLen(mask []int) int {
	n := 0
	for n < len(mask) && mask[n] == 0 {
		n++
	}
	return n
}

// Len is the number of usable examples.
func (ds *Dataset) Len() int { return len(ds.offsets) }

// SeqLen is L.
func (ds *Dataset) SeqLen() int { return ds.opt.SeqLen }

// Path is the file the dataset was read from.
func (ds *Dataset) Path() string { return ds.path }

// Skipped is the number of bad lines skipped (SkipBad).
func (ds *Dataset) Skipped() int { return ds.skipped }

// SkippedErrors returns up to the first 10 problems that were skipped.
func (ds *Dataset) SkippedErrors() []error { return ds.firstBad }

// Line returns the 1-based file line of record i.
func (ds *Dataset) Line(i int) int { return int(ds.lines[i]) }

// Close releases the file a streaming dataset keeps open.
func (ds *Dataset) Close() error {
	if ds.file == nil {
		return nil
	}
	err := ds.file.Close()
	ds.file = nil
	return err
}

// Row writes record i into ids and mask (each of length L): from the
// in-memory copy, or, for a streaming dataset, by re-reading its line at
// the stored offset and encoding it again.
func (ds *Dataset) Row(i int, ids, mask []int) error {
	L := ds.opt.SeqLen
	if len(ids) != L || len(mask) != L {
		panic(fmt.Sprintf("data.Dataset.Row: ids %d, mask %d, want L=%d", len(ids), len(mask), L))
	}
	if ds.opt.Stream {
		return ds.reread(i, ids, mask)
	}
	row := ds.rows[i]
	for j, v := range row {
		ids[j] = int(v)
	}
	for j := len(row); j < L; j++ {
		ids[j] = ds.tok.PadID()
	}
	b := int(ds.srcLens[i])
	for j := range mask {
		mask[j] = 0
		if j >= b {
			mask[j] = 1
		}
	}
	return nil
}

// reread reads record i's line again and encodes it.
func (ds *Dataset) reread(i int, ids, mask []int) error {
	if ds.file == nil {
		return errors.New("data: dataset is closed")
	}
	// A small buffer: one line is read per row (longer lines come in pieces).
	r := newReaderSize(ds.path, io.NewSectionReader(ds.file, ds.offsets[i], 1<<62), nil, 1024)
	r.line = int(ds.lines[i]) - 1
	ex, err := r.Next()
	if err != nil {
		return fmt.Errorf("re-reading record %d: %w (did the file change?)", i, err)
	}
	ds.encode(ex, ids, mask)
	return nil
}
