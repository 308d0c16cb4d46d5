package runlog

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
)

// Table is a CSV log read back: the official progress.csv (columns such as
// grad_norm, loss, loss_q0..q3, mse*, nll*, samples, step, eval_*; train and
// eval rows interleaved with empty cells for the other kind) or our log.csv.
type Table struct {
	Path    string
	Columns []string
	Cells   [][]string // one slice per data row, len(Columns) cells each
	lines   []int      // file line of each row, for error messages
	index   map[string]int
}

// ReadCSV reads a CSV log with a header row. A final line without a
// newline (a crash mid-write) is ignored; any other malformed row is an
// error naming the file and line.
func ReadCSV(path string) (*Table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if i := bytes.LastIndexByte(b, '\n'); i+1 < len(b) {
		b = b[:i+1]
	}
	r := csv.NewReader(bytes.NewReader(b))
	head, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file, no header", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	t := &Table{Path: path, Columns: head, index: map[string]int{}}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		line, _ := r.FieldPos(0)
		t.Cells = append(t.Cells, rec)
		t.lines = append(t.lines, line)
	}
	for i, c := range t.Columns {
		if _, dup := t.index[c]; dup {
			return nil, fmt.Errorf("%s:1: column %q appears twice", path, c)
		}
		t.index[c] = i
	}
	return t, nil
}

// Has reports whether the table has the column.
func (t *Table) Has(col string) bool { _, ok := t.index[col]; return ok }

// Floats parses a column; empty cells become NaN.
func (t *Table) Floats(col string) ([]float64, error) {
	j, ok := t.index[col]
	if !ok {
		return nil, fmt.Errorf("%s: no column %q", t.Path, col)
	}
	out := make([]float64, len(t.Cells))
	for i, row := range t.Cells {
		if row[j] == "" {
			out[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(row[j], 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: column %q: %q is not a number", t.Path, t.lines[i], col, row[j])
		}
		out[i] = v
	}
	return out, nil
}

// Series returns the (x, y) pairs of the rows where both columns hold a
// value: e.g. Series("step", "loss") on progress.csv skips the eval rows.
func (t *Table) Series(x, y string) (xs, ys []float64, err error) {
	xv, err := t.Floats(x)
	if err != nil {
		return nil, nil, err
	}
	yv, err := t.Floats(y)
	if err != nil {
		return nil, nil, err
	}
	for i := range xv {
		if !math.IsNaN(xv[i]) && !math.IsNaN(yv[i]) {
			xs = append(xs, xv[i])
			ys = append(ys, yv[i])
		}
	}
	return xs, ys, nil
}

// Where returns the rows whose column col equals val (e.g. split = train
// in our log). A missing column gives an empty table.
func (t *Table) Where(col, val string) *Table {
	out := &Table{Path: t.Path, Columns: t.Columns, index: t.index}
	j, ok := t.index[col]
	if !ok {
		return out
	}
	for i, row := range t.Cells {
		if row[j] == val {
			out.Cells = append(out.Cells, row)
			out.lines = append(out.lines, t.lines[i])
		}
	}
	return out
}
