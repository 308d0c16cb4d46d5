package generate

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"strings"
	"testing"
)

func tracedResults(t *testing.T, g *Generator) []Result {
	t.Helper()
	res, err := g.Generate(context.Background(), testSources[:2], Options{Seed: 3, TraceEvery: 10})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRenderTrace(t *testing.T) {
	g := loadTiny(t)
	res := tracedResults(t, g)
	var buf bytes.Buffer
	if err := RenderTrace(&buf, g.Tokenizer(), TraceItemOf(res[0])); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	// source, x_T, t = 40, 30, 20, 10, 0, output
	if len(lines) != 8 {
		t.Fatalf("%d lines:\n%s", len(lines), buf.String())
	}
	if !strings.HasPrefix(lines[0], "source: [START] the cat sat") || !strings.HasPrefix(lines[1], "  t=50 ▒▒ ") ||
		!strings.HasPrefix(lines[6], "  t=0     ") || lines[7] != "output: "+res[0].Text {
		t.Fatalf("trace:\n%s", buf.String())
	}
	if want := tokenLine(g.Tokenizer(), res[0].Tokens); !strings.HasSuffix(lines[6], want) {
		t.Fatalf("last trace line %q does not end with the final tokens %q", lines[6], want)
	}
}

func TestTokenLineCountsPads(t *testing.T) {
	g := loadTiny(t)
	if got := tokenLine(g.Tokenizer(), []int{4, 3, 5, 3, 3}); got != "the [PAD] a (+2 [PAD])" {
		t.Fatalf("%q", got)
	}
}

// TestTraceHTMLWellFormed parses the page as strict XML (every tag closed,
// every entity known) and checks that each table ends with the final tokens.
func TestTraceHTMLWellFormed(t *testing.T) {
	g := loadTiny(t)
	res := tracedResults(t, g)
	items := []TraceItem{TraceItemOf(res[0]), TraceItemOf(res[1]), {Source: `<b>"&'`, Text: "no trace"}}
	var buf bytes.Buffer
	if err := WriteTraceHTML(&buf, g.Tokenizer(), "trace <test>", items); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	dec := xml.NewDecoder(strings.NewReader(page))
	dec.Strict = true
	var stack []string
	var rows [][]string // token cells of every <tr>
	var cell *strings.Builder
	for {
		tokn, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, page)
		}
		switch e := tokn.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name.Local)
			switch e.Name.Local {
			case "tr":
				rows = append(rows, nil)
			case "td":
				cell = &strings.Builder{}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if e.Name.Local == "td" {
				rows[len(rows)-1] = append(rows[len(rows)-1], cell.String())
				cell = nil
			}
		case xml.CharData:
			if cell != nil {
				cell.Write(e)
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements %v", stack)
	}
	// Per traced sentence: a header row and 6 frames (t = 50, 40, …, 0).
	if len(rows) != 2*7 {
		t.Fatalf("%d table rows", len(rows))
	}
	for s, r := range res {
		last := rows[s*7+6]
		if len(last) != len(r.Tokens) {
			t.Fatalf("sentence %d: %d cells, %d tokens", s, len(last), len(r.Tokens))
		}
		for p, id := range r.Tokens {
			if want := tokenString(g.Tokenizer(), id); last[p] != want {
				t.Fatalf("sentence %d position %d: cell %q, final token %q", s, p, last[p], want)
			}
		}
	}
	if !strings.Contains(page, html.EscapeString(`<b>"&'`)) || strings.Contains(page, `<b>"&'`) {
		t.Fatal("source text is not escaped")
	}
	for _, class := range []string{`class="noise"`, `class="final"`} {
		if !strings.Contains(page, class) {
			t.Errorf("no %s cell", class)
		}
	}
}
