package runlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// File names of the run log inside a run directory. They differ from the
// reference's progress.csv on purpose: the columns differ.
const (
	CSVFile   = "log.csv"
	JSONLFile = "log.jsonl"
)

// Log appends rows to log.csv and log.jsonl in a run directory.
type Log struct {
	csv, jsonl *os.File
	// NoSync skips the fsync after each row (tests, throw-away runs).
	NoSync bool
}

func header() string { return strings.Join(Columns, ",") + "\n" }

// Create starts the log of a new run in dir. It refuses to overwrite a
// non-empty log: a resumed run must use Resume.
func Create(dir string) (*Log, error) {
	for _, name := range []string{CSVFile, JSONLFile} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.Size() > 0 {
			return nil, fmt.Errorf("runlog: %s already holds a log; resume the run or choose another directory", filepath.Join(dir, name))
		}
	}
	return open(dir, true)
}

func open(dir string, fresh bool) (*Log, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	if fresh {
		flag |= os.O_TRUNC
	}
	c, err := os.OpenFile(filepath.Join(dir, CSVFile), flag, 0o644)
	if err != nil {
		return nil, err
	}
	j, err := os.OpenFile(filepath.Join(dir, JSONLFile), flag, 0o644)
	if err != nil {
		c.Close()
		return nil, err
	}
	l := &Log{csv: c, jsonl: j}
	if st, err := c.Stat(); err == nil && st.Size() == 0 {
		if _, err := c.WriteString(header()); err != nil {
			l.Close()
			return nil, err
		}
	}
	return l, nil
}

// Resume reopens the log of a run that restarts at update fromStep: a
// partial last line left by a crash is cut off, and so is every row with
// step ≥ fromStep (those steps will run and be logged again). Missing files
// are created.
func Resume(dir string, fromStep int) (*Log, error) {
	if err := trimLog(filepath.Join(dir, CSVFile), fromStep, csvStep, true); err != nil {
		return nil, err
	}
	if err := trimLog(filepath.Join(dir, JSONLFile), fromStep, jsonStep, false); err != nil {
		return nil, err
	}
	return open(dir, false)
}

// csvStep reads the step column of one CSV row.
func csvStep(line []byte) (int, error) {
	f := strings.SplitN(string(line), ",", 3)
	if len(f) < 3 {
		return 0, errors.New("too few columns")
	}
	return strconv.Atoi(f[1])
}

// jsonStep reads the "step" field of one JSONL row.
func jsonStep(line []byte) (int, error) {
	var v struct{ Step *int }
	if err := json.Unmarshal(line, &v); err != nil {
		return 0, err
	}
	if v.Step == nil {
		return 0, errors.New(`no "step" field`)
	}
	return *v.Step, nil
}

// trimLog truncates path after its last complete row with step < fromStep.
func trimLog(path string, fromStep int, step func([]byte) (int, error), hasHeader bool) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	keep, off, line := 0, 0, 0
	for off < len(b) {
		nl := bytes.IndexByte(b[off:], '\n')
		if nl < 0 {
			break // partial last line: a crash mid-write
		}
		row := b[off : off+nl]
		line++
		next := off + nl + 1
		if hasHeader && line == 1 {
			if string(row)+"\n" != header() {
				return fmt.Errorf("%s:1: header does not match this version's columns (%s)", path, strings.Join(Columns, ","))
			}
			keep, off = next, next
			continue
		}
		s, err := step(row)
		if err != nil {
			return fmt.Errorf("%s:%d: %v", path, line, err)
		}
		if s >= fromStep {
			break
		}
		keep, off = next, next
	}
	if keep == len(b) {
		return nil
	}
	return os.Truncate(path, int64(keep))
}

// Write appends one row to both files, each as a single write of a whole
// line, and syncs them unless NoSync is set.
func (l *Log) Write(r Row) error {
	if r.Split == "" || strings.ContainsFunc(r.Split, func(c rune) bool {
		return !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
	}) {
		return fmt.Errorf("runlog: split %q must be a plain word such as train or eval", r.Split)
	}
	for _, w := range []struct {
		f    *os.File
		line string
	}{{l.csv, r.csvLine()}, {l.jsonl, r.jsonLine()}} {
		if _, err := w.f.WriteString(w.line); err != nil {
			return err
		}
		if !l.NoSync {
			if err := w.f.Sync(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close closes both files.
func (l *Log) Close() error {
	return errors.Join(l.csv.Close(), l.jsonl.Close())
}
