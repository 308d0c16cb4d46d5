// Command anchor compares a training log of ours with the official
// DiffuSeq run's progress.csv (../shared/anchors): loss, mse and nll
// averaged over a window of ±W steps around chosen steps on both sides,
// their ratio, and an SVG plot of both curves.
//
//	go run ./bench/anchor --ours runs/m30k/log.csv \
//	    --official ../shared/anchors/official-small-multi30k-progress.csv \
//	    --steps 500,1000,2000,3000,4000 --window 100 --svg docs/anchor-loss.svg
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/diffuseq-go/diffuseq/runlog"
)

func main() {
	ours := flag.String("ours", "", "our log.csv")
	official := flag.String("official", "../shared/anchors/official-small-multi30k-progress.csv", "the official progress.csv")
	steps := flag.String("steps", "500,1000,2000,3000,4000", "steps to compare")
	window := flag.Float64("window", 100, "average over rows with |step − s| ≤ window")
	svg := flag.String("svg", "", "write the two loss curves here")
	xmax := flag.Float64("xmax", 4000, "plot updates up to this step")
	flag.Parse()
	if err := run(*ours, *official, *steps, *window, *svg, *xmax); err != nil {
		fmt.Fprintln(os.Stderr, "anchor:", err)
		os.Exit(1)
	}
}

func run(oursPath, officialPath, stepList string, window float64, svgPath string, xmax float64) error {
	ours, err := runlog.ReadCSV(oursPath)
	if err != nil {
		return err
	}
	ours = ours.Where("split", "train")
	off, err := runlog.ReadCSV(officialPath)
	if err != nil {
		return err
	}
	fmt.Printf("window ±%g steps; ratio = ours / official (target within 10%%)\n\n", window)
	fmt.Println("| step | term | ours | official | ratio | within 10% |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, s := range strings.Split(stepList, ",") {
		step, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return fmt.Errorf("--steps: %v", err)
		}
		for _, term := range []string{"loss", "mse", "nll"} {
			a, na, err := windowMean(ours, term, step, window)
			if err != nil {
				return err
			}
			b, nb, err := windowMean(off, term, step, window)
			if err != nil {
				return err
			}
			if na == 0 || nb == 0 {
				fmt.Printf("| %g | %s | %s | %s | | not reached |\n", step, term, fmtMean(a, na), fmtMean(b, nb))
				continue
			}
			r := a / b
			fmt.Printf("| %g | %s | %.4f | %.4f | %.3f | %v |\n", step, term, a, b, r, math.Abs(r-1) <= 0.10)
		}
	}
	if svgPath == "" {
		return nil
	}
	p := runlog.Plot{Title: "DiffuSeq small recipe on Multi30k: training loss", XLabel: "update", YLabel: "loss", LogY: true}
	for _, c := range []struct {
		name   string
		t      *runlog.Table
		dashed bool
	}{{"official (PyTorch)", off, true}, {"ours (Go)", ours, false}} {
		xs, ys, err := c.t.Series("step", "loss")
		if err != nil {
			return err
		}
		for len(xs) > 0 && xs[len(xs)-1] > xmax {
			xs, ys = xs[:len(xs)-1], ys[:len(ys)-1]
		}
		p.Series = append(p.Series, runlog.Series{Name: c.name, X: xs, Y: ys, Dashed: c.dashed})
	}
	f, err := os.Create(svgPath)
	if err != nil {
		return err
	}
	if err := p.WriteSVG(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// windowMean averages column term over the rows whose step is within
// window of step.
func windowMean(t *runlog.Table, term string, step, window float64) (float64, int, error) {
	xs, ys, err := t.Series("step", term)
	if err != nil {
		return 0, 0, err
	}
	var s float64
	n := 0
	for i, x := range xs {
		if math.Abs(x-step) <= window {
			s += ys[i]
			n++
		}
	}
	if n == 0 {
		return 0, 0, nil
	}
	return s / float64(n), n, nil
}

func fmtMean(v float64, n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprintf("%.4f", v)
}
