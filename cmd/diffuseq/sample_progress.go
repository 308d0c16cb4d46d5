package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/diffuseq-go/diffuseq/generate"
	"github.com/diffuseq-go/diffuseq/internal/progress"
)

// sampleProgress prints how far a decode has got in sentences: on a
// terminal one line redrawn in place twice a second, elsewhere a plain
// line every 10 seconds.
type sampleProgress struct {
	w        io.Writer
	label    string
	terminal bool
	interval time.Duration
	start    time.Time
	from     float64 // rows done before this run (a continued decode)
	drawn    time.Time
	width    int
}

// newSampleProgress starts the clock; from rows are already done.
func newSampleProgress(w io.Writer, label string, from int) *sampleProgress {
	p := &sampleProgress{w: w, label: label, terminal: progress.IsTerminal(w), interval: progress.PlainInterval, start: time.Now(), from: float64(from)}
	if p.terminal {
		p.interval = 500 * time.Millisecond
	}
	p.drawn = p.start
	return p
}

// update is a generate.Options.Progress callback.
func (p *sampleProgress) update(g generate.Progress) {
	now := time.Now()
	if now.Sub(p.drawn) < p.interval {
		return
	}
	p.drawn = now
	done, elapsed := g.Rows(), now.Sub(p.start).Seconds()
	rate := (done - p.from) / elapsed
	line := fmt.Sprintf("%s: %.1f/%d sentences (%.0f%%), %.2f sentences/s", p.label, done, g.Total, 100*done/float64(g.Total), rate)
	if rate > 0 {
		line += ", ETA " + progress.Duration(time.Duration((float64(g.Total)-done)/rate*float64(time.Second)))
	}
	if !p.terminal {
		fmt.Fprintln(p.w, line)
		return
	}
	pad := ""
	if len(line) < p.width {
		pad = strings.Repeat(" ", p.width-len(line))
	}
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.width = len(line)
}

// finish ends a terminal line.
func (p *sampleProgress) finish() {
	if p.terminal && p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	}
}
