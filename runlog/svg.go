package runlog

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Series is one curve of a Plot. Points with a NaN coordinate (and, on a
// log axis, y ≤ 0) are skipped.
type Series struct {
	Name   string
	X, Y   []float64
	Dashed bool // e.g. the official run, drawn under ours
}

// Plot is a line chart written as a self-contained SVG file: axes, grid,
// ticks with labels, optional log-scale y axis, one polyline per series and
// a legend. Pure Go, no fonts or scripts needed to view it.
type Plot struct {
	Title, XLabel, YLabel string
	LogY                  bool
	Width, Height         int // pixels; 0 means 720 × 420
	Series                []Series
}

// Margins around the plotting area, in pixels.
const (
	marginLeft, marginRight, marginTop, marginBottom = 72, 16, 36, 48
)

// palette holds distinguishable stroke colours, used in series order.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"}

// axis maps data values to pixels along one direction.
type axis struct {
	lo, hi     float64 // data range (log10 of it for a log axis)
	plo, phi   float64 // pixel range
	log        bool
	ticks      []float64 // data values
	tickLabels []string
}

func (a *axis) px(v float64) float64 {
	if a.log {
		v = math.Log10(v)
	}
	return a.plo + (v-a.lo)/(a.hi-a.lo)*(a.phi-a.plo)
}

// niceStep returns 1, 2 or 5 × 10^k, the tick spacing giving about n ticks
// over span.
func niceStep(span float64, n int) float64 {
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// linearAxis widens [lo, hi] to whole tick steps and places the ticks.
func linearAxis(lo, hi, plo, phi float64) axis {
	if lo == hi {
		d := math.Max(math.Abs(lo)*0.1, 1)
		lo, hi = lo-d, hi+d
	}
	step := niceStep(hi-lo, 5)
	lo = math.Floor(lo/step) * step
	hi = math.Ceil(hi/step) * step
	a := axis{lo: lo, hi: hi, plo: plo, phi: phi}
	decimals := max(0, -int(math.Floor(math.Log10(step))))
	for i := 0; ; i++ {
		v := lo + float64(i)*step
		if v > hi+step/2 {
			break
		}
		a.ticks = append(a.ticks, v)
		a.tickLabels = append(a.tickLabels, formatTick(v, decimals))
	}
	return a
}

// logAxis spans whole decades around [lo, hi] (both > 0); with at most two
// decades it also marks 2× and 5×.
func logAxis(lo, hi, plo, phi float64) axis {
	elo, ehi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if elo == ehi {
		ehi++
	}
	a := axis{lo: elo, hi: ehi, plo: plo, phi: phi, log: true}
	mults := []float64{1}
	if ehi-elo <= 2 {
		mults = []float64{1, 2, 5}
	}
	for e := elo; e <= ehi; e++ {
		for _, m := range mults {
			if e == ehi && m > 1 {
				break
			}
			v := m * math.Pow(10, e)
			a.ticks = append(a.ticks, v)
			a.tickLabels = append(a.tickLabels, formatTick(v, max(0, -int(e))))
		}
	}
	return a
}

// formatTick writes tick labels people read at a glance: 20k rather than
// 20000 or 2e+04, 0.05 rather than 5e-02, exponents only when tiny or huge.
func formatTick(v float64, decimals int) string {
	av := math.Abs(v)
	switch {
	case v == 0:
		return "0"
	case av >= 1e7 || av < 1e-4:
		return strconv.FormatFloat(v, 'g', 3, 64)
	case av >= 1e4 && math.Mod(v, 1000) == 0:
		return strconv.FormatFloat(v/1000, 'f', -1, 64) + "k"
	default:
		return strconv.FormatFloat(v, 'f', decimals, 64)
	}
}

// usable reports whether a point can be drawn on this plot.
func (p *Plot) usable(x, y float64) bool {
	if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return false
	}
	return !p.LogY || y > 0
}

// WriteSVG renders the plot.
func (p *Plot) WriteSVG(w io.Writer) error {
	W, H := p.Width, p.Height
	if W == 0 && H == 0 {
		W, H = 720, 420
	}
	if W < 200 || H < 150 {
		return fmt.Errorf("runlog: plot %d×%d px is too small (min 200×150)", W, H)
	}
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range p.Series {
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("runlog: series %q has %d x values but %d y values", s.Name, len(s.X), len(s.Y))
		}
		for i := range s.X {
			if p.usable(s.X[i], s.Y[i]) {
				xlo, xhi = math.Min(xlo, s.X[i]), math.Max(xhi, s.X[i])
				ylo, yhi = math.Min(ylo, s.Y[i]), math.Max(yhi, s.Y[i])
			}
		}
	}
	if math.IsInf(xlo, 1) {
		return errors.New("runlog: nothing to plot (no series has a drawable point)")
	}
	left, right := float64(marginLeft), float64(W-marginRight)
	top, bottom := float64(marginTop), float64(H-marginBottom)
	xa := linearAxis(xlo, xhi, left, right)
	var ya axis
	if p.LogY {
		ya = logAxis(ylo, yhi, bottom, top)
	} else {
		ya = linearAxis(ylo, yhi, bottom, top)
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", W, H, W, H)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", W, H)
	if p.Title != "" {
		text(&b, float64(W)/2, 22, "middle", "font-size=\"15\"", p.Title)
	}
	// Grid and tick labels.
	for i, v := range xa.ticks {
		x := xa.px(v)
		fmt.Fprintf(&b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="#e0e0e0"/>`+"\n", x, top, x, bottom)
		text(&b, x, bottom+16, "middle", "", xa.tickLabels[i])
	}
	for i, v := range ya.ticks {
		y := ya.px(v)
		fmt.Fprintf(&b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="#e0e0e0"/>`+"\n", left, y, right, y)
		text(&b, left-6, y+4, "end", "", ya.tickLabels[i])
	}
	// Axes.
	fmt.Fprintf(&b, `<path d="M%.2f %.2fV%.2fH%.2f" fill="none" stroke="black"/>`+"\n", left, top, bottom, right)
	if p.XLabel != "" {
		text(&b, (left+right)/2, float64(H)-10, "middle", "", p.XLabel)
	}
	if p.YLabel != "" {
		fmt.Fprintf(&b, `<text x="16" y="%.2f" text-anchor="middle" transform="rotate(-90 16 %.2f)">%s</text>`+"\n", (top+bottom)/2, (top+bottom)/2, escape(p.YLabel))
	}
	// Curves.
	for k, s := range p.Series {
		color := palette[k%len(palette)]
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 3"`
		}
		fmt.Fprintf(&b, `<polyline class="series" data-name="%s" fill="none" stroke="%s" stroke-width="1.5"%s points="`, escape(s.Name), color, dash)
		first := true
		for i := range s.X {
			if !p.usable(s.X[i], s.Y[i]) {
				continue
			}
			if !first {
				b.WriteByte(' ')
			}
			first = false
			fmt.Fprintf(&b, "%.2f,%.2f", xa.px(s.X[i]), ya.px(s.Y[i]))
		}
		b.WriteString("\"/>\n")
		// Legend entry, top right inside the plot area.
		ly := top + 14 + 16*float64(k)
		fmt.Fprintf(&b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="2"%s/>`+"\n", right-150, ly-4, right-126, ly-4, color, dash)
		text(&b, right-120, ly, "start", "", s.Name)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func text(b *strings.Builder, x, y float64, anchor, extra, s string) {
	fmt.Fprintf(b, `<text x="%.2f" y="%.2f" text-anchor="%s" %s>%s</text>`+"\n", x, y, anchor, extra, escape(s))
}

func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
