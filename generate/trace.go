package generate

import (
	"fmt"
	"io"
	"strings"

	"github.com/diffuseq-go/diffuseq/text"
)

// TraceItem is one sentence's denoising trajectory, as rendered by
// RenderTrace and WriteTraceHTML.
type TraceItem struct {
	Source string  // the conditioning text
	Text   string  // the final output
	Frames []Frame // Result.Trajectory
}

// TraceItemOf pairs a Result with its trajectory.
func TraceItemOf(r Result) TraceItem {
	return TraceItem{Source: r.Source, Text: r.Text, Frames: r.Trajectory}
}

// noiseMark prefixes the x_T line: its tokens are the read-out of pure
// noise, not a guess of the model.
const noiseMark = "▒▒"

// RenderTrace writes a few lines per sentence for a terminal:
//
//	source: [CLS] the cat sat on the mat [SEP] [SEP]
//	  t=50  ▒▒ fox ran ran … (+20 [PAD])
//	  t=25     the ran was sat … (+22 [PAD])
//	  t=0      the mat was sat on … (+24 [PAD])
//
// Each line is the tokens read out of x at that timestep (raw vocabulary
// tokens, trailing pads counted instead of printed).
func RenderTrace(w io.Writer, tok text.Tokenizer, it TraceItem) error {
	if _, err := fmt.Fprintf(w, "source: %s\n", it.Source); err != nil {
		return err
	}
	width := 1
	for _, f := range it.Frames {
		width = max(width, len(fmt.Sprint(f.T)))
	}
	for i, f := range it.Frames {
		mark := strings.Repeat(" ", len([]rune(noiseMark)))
		if i == 0 {
			mark = noiseMark
		}
		if _, err := fmt.Fprintf(w, "  t=%-*d %s %s\n", width, f.T, mark, tokenLine(tok, f.Tokens)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "output: %s\n", it.Text)
	return err
}

// tokenLine joins the token strings of ids, with trailing pads counted.
func tokenLine(tok text.Tokenizer, ids []int) string {
	n := len(ids)
	for n > 0 && ids[n-1] == tok.PadID() {
		n--
	}
	parts := make([]string, 0, n+1)
	for _, id := range ids[:n] {
		parts = append(parts, tokenString(tok, id))
	}
	if pads := len(ids) - n; pads > 0 {
		pad := tokenString(tok, tok.PadID())
		parts = append(parts, fmt.Sprintf("(+%d %s)", pads, pad))
	}
	return strings.Join(parts, " ")
}

func tokenString(tok text.Tokenizer, id int) string {
	if s, ok := tok.Token(id); ok {
		return s
	}
	return fmt.Sprintf("<%d>", id)
}
