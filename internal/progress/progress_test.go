package progress

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

// clock is a fake time source advanced by the test.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func TestPlainLinesAreThrottled(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := NewMode(&buf, 0, 100, false)
	b.Now = c.now
	b.Label = "train"
	for step := 1; step <= 50; step++ {
		c.advance(time.Second) // 1 step/s
		b.Update(step, 1/float64(step))
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	// Clock starts at the first Update (step 1); a line every 10 s after it.
	if len(lines) != 4 {
		t.Fatalf("%d lines in 49 s at a 10 s interval, want 4:\n%s", len(lines), buf.String())
	}
	if strings.Contains(buf.String(), "\r") {
		t.Error("plain mode wrote a carriage return")
	}
	want := "train step 41/100  41.0% loss 0.0244 1.00 steps/s ETA 59s elapsed 40s"
	if lines[3] != want {
		t.Errorf("line\n%q\nwant\n%q", lines[3], want)
	}
}

func TestTerminalRedrawsInPlace(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := NewMode(&buf, 0, 40, true)
	b.Now = c.now
	b.Update(0, math.NaN())
	c.advance(time.Second)
	b.Update(10, 2.5) // 10 steps/s
	c.advance(50 * time.Millisecond)
	b.Update(11, 2.4) // throttled: within 200 ms
	out := buf.String()
	if strings.Count(out, "\r") != 1 || strings.Contains(out, "\n") {
		t.Fatalf("want one in-place draw, got %q", out)
	}
	want := "\rstep 10/40 [=====>              ]  25.0% loss 2.5000 10.00 steps/s ETA 3s elapsed 1s"
	if out != want {
		t.Errorf("got  %q\nwant %q", out, want)
	}
	buf.Reset()
	b.Log("eval loss %.2f", 0.5)
	out = buf.String()
	if !strings.HasPrefix(out, "\r"+strings.Repeat(" ", len(want)-1)+"\reval loss 0.50\n\rstep 11/40") {
		t.Errorf("Log should blank the bar, print the line and redraw: %q", out)
	}
	buf.Reset()
	c.advance(3 * time.Second)
	b.Update(40, 1)
	b.Finish()
	if out := buf.String(); !strings.HasSuffix(out, "\n") || !strings.Contains(out, "[====================] 100.0%") {
		t.Errorf("finish: %q", out)
	}
}

func TestShorterLineBlanksLeftovers(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := NewMode(&buf, 0, 10, true)
	b.Now = c.now
	b.Update(0, 123456.789)
	c.advance(time.Second)
	b.Update(1, 123456.789)
	first := len(strings.TrimPrefix(buf.String(), "\r"))
	buf.Reset()
	c.advance(time.Second)
	b.Update(2, 1)
	if got := len(strings.TrimPrefix(buf.String(), "\r")); got < first {
		t.Errorf("shorter redraw is %d chars, the previous %d: leftovers stay on screen", got, first)
	}
}

func TestResumedRunCountsOnlyItsOwnSteps(t *testing.T) {
	var buf bytes.Buffer
	c := newClock()
	b := NewMode(&buf, 1000, 2000, false)
	b.Now = c.now
	b.Update(1000, math.NaN())
	c.advance(10 * time.Second)
	b.Update(1100, math.NaN())
	if !strings.Contains(buf.String(), "10.00 steps/s ETA 1m30s") {
		t.Errorf("resumed rate: %q", buf.String())
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 42 * time.Second: "42s", 187 * time.Second: "3m07s",
		2*time.Hour + 3*time.Minute + 10*time.Second: "2h03m", 76 * time.Hour: "3d04h",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	if IsTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is not a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a regular file is not a terminal")
	}
	if New(f, 0, 10).terminal {
		t.Error("New chose terminal mode for a file")
	}
}
