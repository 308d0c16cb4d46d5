package generate

import (
	"html/template"
	"io"

	"github.com/diffuseq-go/diffuseq/text"
)

// Cell classes of the HTML trace.
const (
	cellNoise   = "noise"   // the x_T read-out
	cellChanged = "changed" // differs from the frame above
	cellFinal   = "final"   // already equal to the final token
	cellOther   = "other"   // unchanged, but not yet the final token
)

type htmlCell struct {
	Token, Class string
}

type htmlRow struct {
	T     int
	Cells []htmlCell
}

type htmlItem struct {
	Index        int // 1-based
	Source, Text string
	Positions    []int
	Rows         []htmlRow
}

// WriteTraceHTML writes a self-contained HTML page (no scripts, no
// external files) with one table per sentence: a row per recorded
// timestep, from x_T at the top to t = 0 at the bottom, a column per
// generated position. A token is orange where it changed since the row
// above, green where it already equals the final token, grey otherwise,
// so one sees the sentence settle out of the noise. The markup is also
// well-formed XML.
func WriteTraceHTML(w io.Writer, tok text.Tokenizer, title string, items []TraceItem) error {
	page := struct {
		Title string
		Items []htmlItem
	}{Title: title}
	for i, it := range items {
		hi := htmlItem{Index: i + 1, Source: it.Source, Text: it.Text}
		if len(it.Frames) == 0 {
			page.Items = append(page.Items, hi)
			continue
		}
		final := it.Frames[len(it.Frames)-1].Tokens
		for p := range final {
			hi.Positions = append(hi.Positions, p)
		}
		for i, f := range it.Frames {
			row := htmlRow{T: f.T}
			for p, id := range f.Tokens {
				class := cellOther
				switch {
				case i == 0:
					class = cellNoise
				case id != it.Frames[i-1].Tokens[p]:
					class = cellChanged
				case id == final[p]:
					class = cellFinal
				}
				row.Cells = append(row.Cells, htmlCell{Token: tokenString(tok, id), Class: class})
			}
			hi.Rows = append(hi.Rows, row)
		}
		page.Items = append(page.Items, hi)
	}
	return traceTemplate.Execute(w, page)
}

var traceTemplate = template.Must(template.New("trace").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<title>{{.Title}}</title>
<style>
body { font-family: sans-serif; margin: 1.5em; }
table { border-collapse: collapse; margin-bottom: 2em; font-family: monospace; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 2px 4px; white-space: nowrap; }
th { background: #f4f4f4; }
td.noise { background: #e8e8e8; color: #777; }
td.changed { background: #ffd8a8; }
td.final { background: #c3f0c3; }
td.other { background: #fff; color: #666; }
.legend span { padding: 2px 6px; margin-right: 8px; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="legend">Each table: one row per recorded timestep t (x<sub>T</sub>, pure noise, at the top; t = 0 at the bottom), one column per generated position (0 = the first position after the source).
<span class="noise" style="background: #e8e8e8">noise read-out</span>
<span style="background: #ffd8a8">changed since the row above</span>
<span style="background: #c3f0c3">equals the final token</span>
<span style="background: #fff; border: 1px solid #ddd">unchanged</span></p>
{{range $it := .Items}}<h2>Sentence {{$it.Index}}</h2>
<p><b>source:</b> {{$it.Source}}<br/><b>output:</b> {{$it.Text}}</p>
{{if $it.Rows}}<table>
<tr><th>t</th>{{range $it.Positions}}<th>{{.}}</th>{{end}}</tr>
{{range $it.Rows}}<tr><th>{{.T}}</th>{{range .Cells}}<td class="{{.Class}}">{{.Token}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{end}}</body>
</html>
`))
