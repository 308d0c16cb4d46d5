package runlog

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/diffuseq-go/diffuseq/internal/testenv"
)

// parsedSVG is what the tests read back from a rendered plot.
type parsedSVG struct {
	width, height float64
	polylines     map[string][][2]float64 // data-name → points
	texts         []string
}

func parseSVG(t *testing.T, b []byte) parsedSVG {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	p := parsedSVG{polylines: map[string][][2]float64{}}
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range e.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch e.Name.Local {
			case "svg":
				p.width, _ = strconv.ParseFloat(attr["width"], 64)
				p.height, _ = strconv.ParseFloat(attr["height"], 64)
			case "polyline":
				var pts [][2]float64
				for _, f := range strings.Fields(attr["points"]) {
					xy := strings.Split(f, ",")
					x, err1 := strconv.ParseFloat(xy[0], 64)
					y, err2 := strconv.ParseFloat(xy[1], 64)
					if len(xy) != 2 || err1 != nil || err2 != nil {
						t.Fatalf("bad point %q", f)
					}
					pts = append(pts, [2]float64{x, y})
				}
				p.polylines[attr["data-name"]] = pts
			case "text":
				inText = true
			}
		case xml.CharData:
			if inText {
				p.texts = append(p.texts, string(e))
			}
		case xml.EndElement:
			if e.Name.Local == "text" {
				inText = false
			}
		}
	}
	return p
}

func render(t *testing.T, p *Plot) parsedSVG {
	t.Helper()
	var buf bytes.Buffer
	if err := p.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	return parseSVG(t, buf.Bytes())
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.011 }

func TestSVGLinearAxes(t *testing.T) {
	p := &Plot{Title: "loss < 1 & falling", XLabel: "step", YLabel: "loss",
		Series: []Series{
			{Name: "ours", X: []float64{0, 20, 40, 60, 80, 100}, Y: []float64{1, 0.8, math.NaN(), 0.5, 0.45, 0.4}},
			{Name: "official", X: []float64{0, 100}, Y: []float64{1, 0.2}, Dashed: true},
		}}
	s := render(t, p)
	if s.width != 720 || s.height != 420 {
		t.Errorf("size %v×%v", s.width, s.height)
	}
	ours := s.polylines["ours"]
	if len(ours) != 5 {
		t.Fatalf("ours has %d points, want 5 (the NaN is skipped)", len(ours))
	}
	left, right := float64(marginLeft), 720.0-marginRight
	top, bottom := float64(marginTop), 420.0-marginBottom
	// x ∈ [0, 100] with ticks every 20 fills the width exactly.
	if !near(ours[0][0], left) || !near(ours[4][0], right) {
		t.Errorf("x of first/last point %v, %v; want %v, %v", ours[0][0], ours[4][0], left, right)
	}
	// y ∈ [0.2, 1] is already on 0.2 ticks: 1 maps to the top, 0.2 to the bottom.
	off := s.polylines["official"]
	if !near(off[0][1], top) || !near(off[1][1], bottom) {
		t.Errorf("official y pixels %v, %v; want %v, %v", off[0][1], off[1][1], top, bottom)
	}
	// ours[2] is y = 0.5 (the NaN point is skipped): 3/8 of the way up.
	y05 := bottom + (0.5-0.2)/(1-0.2)*(top-bottom)
	if !near(ours[2][1], y05) {
		t.Errorf("y pixel of 0.5 is %v, want %v", ours[2][1], y05)
	}
	for i := 1; i < len(ours); i++ {
		if ours[i][0] <= ours[i-1][0] || ours[i][1] <= ours[i-1][1] {
			t.Errorf("falling loss should move right and down: %v → %v", ours[i-1], ours[i])
		}
	}
	all := strings.Join(s.texts, "|")
	for _, want := range []string{"loss < 1 & falling", "step", "0|20|40|60|80|100", "0.2|0.4|0.6|0.8|1.0", "ours", "official"} {
		if !strings.Contains(all, want) {
			t.Errorf("texts %q lack %q", all, want)
		}
	}
}

func TestSVGLogScale(t *testing.T) {
	p := &Plot{LogY: true, Series: []Series{{Name: "nll", X: []float64{0, 1, 2, 3}, Y: []float64{100, 10, 1, -1}}}}
	s := render(t, p)
	pts := s.polylines["nll"]
	if len(pts) != 3 {
		t.Fatalf("%d points, want 3 (y ≤ 0 skipped on a log axis)", len(pts))
	}
	// Decades are equally spaced: 100 at the top, 1 at the bottom, 10 half way.
	top, bottom := float64(marginTop), 420.0-marginBottom
	if !near(pts[0][1], top) || !near(pts[2][1], bottom) || !near(pts[1][1], (top+bottom)/2) {
		t.Errorf("log y pixels %v", pts)
	}
	all := strings.Join(s.texts, "|")
	for _, want := range []string{"|1|", "|2|", "|5|", "|10|", "|100|"} {
		if !strings.Contains("|"+all+"|", want) {
			t.Errorf("log ticks %q lack %q", all, want)
		}
	}
}

func TestSVGErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := (&Plot{}).WriteSVG(&buf); err == nil {
		t.Error("empty plot accepted")
	}
	if err := (&Plot{Series: []Series{{Name: "a", X: []float64{1}, Y: nil}}}).WriteSVG(&buf); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("length mismatch: %v", err)
	}
	if err := (&Plot{LogY: true, Series: []Series{{X: []float64{1}, Y: []float64{0}}}}).WriteSVG(&buf); err == nil {
		t.Error("log plot of non-positive values accepted")
	}
}

func TestFormatTick(t *testing.T) {
	for _, c := range []struct {
		v    float64
		dec  int
		want string
	}{{0, 0, "0"}, {20000, 0, "20k"}, {2500, 0, "2500"}, {0.05, 2, "0.05"}, {1e-5, 5, "1e-05"}, {3.2e7, 0, "3.2e+07"}} {
		if got := formatTick(c.v, c.dec); got != c.want {
			t.Errorf("formatTick(%v, %d) = %q, want %q", c.v, c.dec, got, c.want)
		}
	}
}

// TestPlotOfficialCurve draws the official run's loss and nll on a log
// axis, the overlay `diffuseq train` will make, and checks that every train
// row became a point. With DIFFUSEQ_KEEP_SVG=dir the file is kept to look at.
func TestPlotOfficialCurve(t *testing.T) {
	tab, err := ReadCSV(testenv.Shared(t, "anchors", "official-small-multi30k-progress.csv"))
	if err != nil {
		t.Fatal(err)
	}
	steps, loss, _ := tab.Series("step", "loss")
	nsteps, nll, _ := tab.Series("step", "nll")
	p := &Plot{Title: "official small multi30k", XLabel: "step", YLabel: "loss", LogY: true,
		Series: []Series{{Name: "loss", X: steps, Y: loss}, {Name: "nll", X: nsteps, Y: nll, Dashed: true}}}
	var buf bytes.Buffer
	if err := p.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	s := parseSVG(t, buf.Bytes())
	if len(s.polylines["loss"]) != len(steps) || len(s.polylines["nll"]) != len(nsteps) {
		t.Errorf("points %d/%d, want %d/%d", len(s.polylines["loss"]), len(s.polylines["nll"]), len(steps), len(nsteps))
	}
	if dir := os.Getenv("DIFFUSEQ_KEEP_SVG"); dir != "" {
		os.WriteFile(filepath.Join(dir, "official-loss.svg"), buf.Bytes(), 0o644)
	}
}
