package runlog

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func row(split string, step int) Row {
	r := Row{Split: split, Step: step, Samples: int64(step+1) * 64, Loss: 1 / float64(step+1), MSE: 0.5, NLL: 10,
		DecoderNLL: 0.25, TT: 2e-7, GradNorm: 0.4, LR: 1e-4, StepsPerSec: 3.5, ElapsedSec: float64(step)}
	r.LossQ = [4]float64{1, 2, 3, math.NaN()}
	r.MSEQ = [4]float64{0.1, 0.2, 0.3, 0.4}
	r.NLLQ = [4]float64{5, 6, 7, 8}
	return r
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func TestWriteCSVAndJSONL(t *testing.T) {
	dir := t.TempDir()
	l, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.NoSync = true
	for _, s := range []int{0, 20} {
		if err := l.Write(row("train", s)); err != nil {
			t.Fatal(err)
		}
	}
	ev := Row{Split: "eval", Step: 20, Loss: 0.9, LossQ: [4]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()},
		GradNorm: math.NaN(), LR: math.NaN(), StepsPerSec: math.NaN(), ElapsedSec: math.NaN()}
	if err := l.Write(ev); err != nil {
		t.Fatal(err)
	}
	if err := l.Write(Row{Split: "a,b"}); err == nil {
		t.Error("a split with a comma was accepted")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	tab, err := ReadCSV(filepath.Join(dir, CSVFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Columns, ",") != strings.Join(Columns, ",") || len(tab.Cells) != 3 {
		t.Fatalf("csv: columns %v, %d rows", tab.Columns, len(tab.Cells))
	}
	xs, ys, err := tab.Where("split", "train").Series("step", "loss")
	if err != nil || len(xs) != 2 || xs[1] != 20 || ys[1] != 1.0/21 {
		t.Errorf("train loss series %v %v %v (exact float round trip expected)", xs, ys, err)
	}
	q3, _ := tab.Floats("loss_q3")
	if !math.IsNaN(q3[0]) {
		t.Errorf("NaN quartile written as %v, want an empty cell", q3[0])
	}

	lines := readLines(t, filepath.Join(dir, JSONLFile))
	if len(lines) != 3 {
		t.Fatalf("%d JSONL lines, want 3", len(lines))
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &m); err != nil {
		t.Fatal(err)
	}
	if m["split"] != "train" || m["step"] != 20.0 || m["samples"] != 1344.0 || m["loss_q3"] != nil || m["tT_loss"] != 2e-7 {
		t.Errorf("jsonl row %v", m)
	}
	if len(m) != len(Columns) {
		t.Errorf("jsonl row has %d keys, want %d", len(m), len(Columns))
	}
	if _, err := Create(dir); err == nil {
		t.Error("Create overwrote an existing log")
	}
}

func TestResumeCutsPartialLineAndLaterRows(t *testing.T) {
	dir := t.TempDir()
	l, _ := Create(dir)
	l.NoSync = true
	for s := 0; s <= 80; s += 20 {
		l.Write(row("train", s))
	}
	l.Close()
	// A crash in the middle of writing the next row.
	for _, name := range []string{CSVFile, JSONLFile} {
		f, _ := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString(`train,100,6464,0.12`)
		f.Close()
	}
	// The last checkpoint was at update 60: rows 60 and 80 will be redone.
	l, err := Resume(dir, 60)
	if err != nil {
		t.Fatal(err)
	}
	l.NoSync = true
	if err := l.Write(row("train", 60)); err != nil {
		t.Fatal(err)
	}
	l.Close()
	csvLines := readLines(t, filepath.Join(dir, CSVFile))
	jsonLines := readLines(t, filepath.Join(dir, JSONLFile))
	if len(csvLines) != 1+4 || len(jsonLines) != 4 {
		t.Fatalf("after resume: %d csv lines, %d jsonl lines; want header+4 and 4", len(csvLines), len(jsonLines))
	}
	for i, want := range []int{0, 20, 40, 60} {
		s, err := jsonStep([]byte(jsonLines[i]))
		if err != nil || s != want {
			t.Errorf("jsonl row %d: step %d (%v), want %d", i, s, err, want)
		}
		s, err = csvStep([]byte(csvLines[i+1]))
		if err != nil || s != want {
			t.Errorf("csv row %d: step %d (%v), want %d", i, s, err, want)
		}
	}
}

func TestResumeRejectsForeignOrCorruptLog(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, CSVFile), []byte("grad_norm,loss\n1,2\n"), 0o644)
	if _, err := Resume(dir, 10); err == nil || !strings.Contains(err.Error(), "log.csv:1: header") {
		t.Errorf("foreign header: error %v", err)
	}
	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, JSONLFile), []byte(`{"step":0}`+"\n"+`garbage`+"\n"+`{"step":40}`+"\n"), 0o644)
	if _, err := Resume(dir, 30); err == nil || !strings.Contains(err.Error(), "log.jsonl:2:") {
		t.Errorf("corrupt middle line: error %v", err)
	}
}

func TestResumeWithoutFilesStartsFresh(t *testing.T) {
	dir := t.TempDir()
	l, err := Resume(dir, 100)
	if err != nil {
		t.Fatal(err)
	}
	l.NoSync = true
	l.Write(row("train", 100))
	l.Close()
	f, _ := os.Open(filepath.Join(dir, CSVFile))
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	if sc.Text()+"\n" != header() {
		t.Errorf("fresh file from Resume has no header: %q", sc.Text())
	}
}
