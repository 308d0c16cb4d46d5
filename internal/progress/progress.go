// Package progress shows how far a long loop (training, decoding) has got:
// on a terminal a one-line bar redrawn in place with \r, elsewhere (a file,
// a pipe, CI) plain log lines at a slower pace, so logs stay readable.
//
// Both are throttled: Update may be called every step at no cost beyond a
// clock read.
package progress

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
)

// IsTerminal reports whether w is a character device (a terminal), the
// one case where redrawing a line in place makes sense. It needs no
// terminal library: os.File.Stat tells.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Default redraw intervals.
const (
	TerminalInterval = 200 * time.Millisecond
	PlainInterval    = 10 * time.Second
)

// Bar tracks a loop from step Start to Total.
type Bar struct {
	w        io.Writer
	terminal bool
	// Interval is the minimum time between two redraws (or plain lines).
	Interval time.Duration
	// Label prefixes every line, e.g. "train".
	Label string
	// Now is the clock; tests replace it.
	Now func() time.Time

	start, total int // steps: the first one of this run and the end
	step         int
	loss         float64
	began, drawn time.Time
	width        int // length of the last terminal line, to blank leftovers
}

// New returns a bar over steps [start, total) writing to w, a terminal bar
// if w is a terminal and plain lines otherwise. start is where this run
// begins (a resumed run's step). The rate and ETA count from the first
// Update, so they measure only the steps done by this run.
func New(w io.Writer, start, total int) *Bar {
	return NewMode(w, start, total, IsTerminal(w))
}

// NewMode is New with the mode chosen by the caller.
func NewMode(w io.Writer, start, total int, terminal bool) *Bar {
	b := &Bar{w: w, terminal: terminal, Now: time.Now, start: start, total: total, step: start, loss: math.NaN()}
	b.Interval = PlainInterval
	if terminal {
		b.Interval = TerminalInterval
	}
	return b
}

// Update records that step steps are done (the next one to run is step)
// with the latest loss (NaN if none yet), and redraws if Interval has
// passed since the last redraw.
func (b *Bar) Update(step int, loss float64) {
	now := b.Now()
	if b.began.IsZero() {
		// The clock and the step count start at the first Update, so
		// set-up time before the loop does not lower the rate.
		b.began, b.drawn, b.start = now, now, step
	}
	b.step, b.loss = step, loss
	if now.Sub(b.drawn) < b.Interval {
		return
	}
	b.drawn = now
	b.draw(now)
}

// Log prints a line of text (e.g. an evaluation result) without mixing it
// into the bar: on a terminal the bar line is cleared first and redrawn
// after.
func (b *Bar) Log(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	if b.terminal && b.width > 0 {
		fmt.Fprintf(b.w, "\r%s\r%s\n", strings.Repeat(" ", b.width), line)
		b.width = 0
		b.draw(b.Now())
		return
	}
	fmt.Fprintln(b.w, line)
}

// Finish draws the final state and ends the terminal line.
func (b *Bar) Finish() {
	now := b.Now()
	if b.began.IsZero() {
		b.began = now
	}
	b.draw(now)
	if b.terminal {
		fmt.Fprintln(b.w)
		b.width = 0
	}
}

// draw writes the current state.
func (b *Bar) draw(now time.Time) {
	line := b.status(now)
	if !b.terminal {
		fmt.Fprintln(b.w, line)
		return
	}
	pad := ""
	if n := len(line); n < b.width {
		pad = strings.Repeat(" ", b.width-n)
	}
	fmt.Fprintf(b.w, "\r%s%s", line, pad)
	b.width = len(line)
}

// status formats "label step 120/400 [=====>    ] 30.0% loss 0.4123 5.20 steps/s ETA 54s".
func (b *Bar) status(now time.Time) string {
	var s strings.Builder
	if b.Label != "" {
		s.WriteString(b.Label)
		s.WriteByte(' ')
	}
	frac := 0.0
	if b.total > 0 {
		frac = math.Min(1, math.Max(0, float64(b.step)/float64(b.total)))
	}
	fmt.Fprintf(&s, "step %d/%d", b.step, b.total)
	if b.terminal {
		const cells = 20
		full := int(frac * cells)
		s.WriteString(" [")
		s.WriteString(strings.Repeat("=", full))
		if full < cells {
			s.WriteByte('>')
			s.WriteString(strings.Repeat(" ", cells-full-1))
		}
		s.WriteByte(']')
	}
	fmt.Fprintf(&s, " %5.1f%%", 100*frac)
	if !math.IsNaN(b.loss) {
		fmt.Fprintf(&s, " loss %.4f", b.loss)
	}
	elapsed := now.Sub(b.began)
	done := b.step - b.start
	if elapsed > 0 && done > 0 {
		rate := float64(done) / elapsed.Seconds()
		fmt.Fprintf(&s, " %.2f steps/s", rate)
		if left := b.total - b.step; left > 0 {
			s.WriteString(" ETA " + Duration(time.Duration(float64(left)/rate*float64(time.Second))))
		}
	}
	s.WriteString(" elapsed " + Duration(elapsed))
	return s.String()
}

// Duration formats d compactly for humans: 42s, 3m07s, 2h03m, 3d04h.
func Duration(d time.Duration) string {
	sec := int64(d.Round(time.Second) / time.Second)
	switch {
	case sec < 60:
		return fmt.Sprintf("%ds", sec)
	case sec < 3600:
		return fmt.Sprintf("%dm%02ds", sec/60, sec%60)
	case sec < 86400:
		return fmt.Sprintf("%dh%02dm", sec/3600, sec%3600/60)
	default:
		return fmt.Sprintf("%dd%02dh", sec/86400, sec%86400/3600)
	}
}
