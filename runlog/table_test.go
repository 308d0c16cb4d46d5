package runlog

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
)

// TestReadOfficialProgress reads the official run's progress.csv: train
// rows every 20 steps and an eval row (eval_* columns) with the other
// columns empty.
func TestReadOfficialProgress(t *testing.T) {
	path := testenv.Shared(t, "anchors", "official-small-multi30k-progress.csv")
	tab, err := ReadCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"grad_norm", "loss", "loss_q0", "loss_q3", "mse", "nll_q2", "samples", "step", "eval_loss", "eval_nll_q3"} {
		if !tab.Has(c) {
			t.Errorf("no column %q", c)
		}
	}
	steps, losses, err := tab.Series("step", "loss")
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 100 || steps[0] != 0 || steps[1] != 20 {
		t.Fatalf("train rows: %d, first steps %v", len(steps), steps[:2])
	}
	for i := 1; i < len(steps); i++ {
		if steps[i]-steps[i-1] != 20 {
			t.Fatalf("train rows not every 20 steps at %v → %v", steps[i-1], steps[i])
		}
	}
	if losses[0] < 1 || losses[0] > 1.1 || losses[len(losses)-1] >= losses[0] {
		t.Errorf("loss starts at %v and ends at %v", losses[0], losses[len(losses)-1])
	}
	_, samples, _ := tab.Series("step", "samples")
	if samples[0] != 64 || samples[1] != 21*64 {
		t.Errorf("samples %v, want (step+1)·64", samples[:2])
	}
	// The eval row at step 0 has no step value of its own (the reference's
	// logger dumps it separately), so eval_loss has no step pairing.
	ev, _ := tab.Floats("eval_loss")
	n := 0
	for _, v := range ev {
		if !math.IsNaN(v) {
			n++
		}
	}
	if n == 0 {
		t.Error("no eval rows read")
	}
}

func TestReadCSVErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	if _, err := ReadCSV(write("empty.csv", "")); err == nil || !strings.Contains(err.Error(), "no header") {
		t.Errorf("empty: %v", err)
	}
	if _, err := ReadCSV(write("short.csv", "a,b\n1,2\n3\n")); err == nil || !strings.Contains(err.Error(), "short.csv") {
		t.Errorf("short row: %v", err)
	}
	tab, err := ReadCSV(write("bad.csv", "step,loss\n0,1\n20,x\n40,0.5\n4"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Cells) != 3 {
		t.Errorf("partial last line not ignored: %d rows", len(tab.Cells))
	}
	if _, err := tab.Floats("loss"); err == nil || !strings.Contains(err.Error(), `bad.csv:3: column "loss": "x"`) {
		t.Errorf("bad number: %v", err)
	}
	if _, err := tab.Floats("nope"); err == nil {
		t.Error("missing column accepted")
	}
	if _, err := ReadCSV(write("dup.csv", "a,a\n1,2\n")); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate column: %v", err)
	}
}
