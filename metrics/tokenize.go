package metrics

import (
	"fmt"
	"strings"
	"unicode"
)

// Tokenizer names one of sacrebleu's tokenisers ("13a", "none", "intl").
type Tokenizer string

// The sacrebleu tokenisers implemented here.
const (
	// Tokenize13a is mteval-v13a's tokenisation, sacrebleu's default.
	Tokenize13a Tokenizer = "13a"
	// TokenizeNone leaves the text as it is (it is still split on
	// whitespace when n-grams are extracted).
	TokenizeNone Tokenizer = "none"
	// TokenizeIntl is mteval-v14's international tokenisation, which
	// separates Unicode punctuation and symbols.
	TokenizeIntl Tokenizer = "intl"
)

// ParseTokenizer checks a tokeniser name given by a user.
func ParseTokenizer(name string) (Tokenizer, error) {
	switch t := Tokenizer(name); t {
	case Tokenize13a, TokenizeNone, TokenizeIntl:
		return t, nil
	}
	return "", fmt.Errorf("unknown sacrebleu tokenizer %q (want 13a, none or intl)", name)
}

// Tokenize returns line tokenised as sacrebleu's tokeniser t does, as one
// string of tokens separated by single spaces. It panics on an unknown t.
func (t Tokenizer) Tokenize(line string) string {
	switch t {
	case Tokenize13a:
		return tokenize13a(line)
	case TokenizeNone:
		return line
	case TokenizeIntl:
		return tokenizeIntl(line)
	}
	panic(fmt.Sprintf("metrics.Tokenizer.Tokenize: unknown tokenizer %q", string(t)))
}

// tokenize13a: drop "<skipped>" and hyphenated line breaks, unescape four
// HTML entities (&apos; stays), pad with spaces, then the four regular
// expressions of sacrebleu's TokenizerRegexp:
//
//	([\{-\~\[-\` -\&\(-\+\:-\@\/])  ->  " \1 "    most ASCII punctuation
//	([^0-9])([\.,])                 ->  "\1 \2 "  . and , after a non-digit
//	([\.,])([^0-9])                 ->  " \1 \2"  . and , before a non-digit
//	([0-9])(-)                      ->  "\1 \2 "  - after a digit
//
// and finally collapse whitespace (Python str.split).
func tokenize13a(line string) string {
	line = strings.ReplaceAll(line, "<skipped>", "")
	line = strings.ReplaceAll(line, "-\n", "")
	line = strings.ReplaceAll(line, "\n", " ")
	if strings.Contains(line, "&") {
		line = strings.ReplaceAll(line, "&quot;", `"`)
		line = strings.ReplaceAll(line, "&amp;", "&")
		line = strings.ReplaceAll(line, "&lt;", "<")
		line = strings.ReplaceAll(line, "&gt;", ">")
	}
	rs := []rune(" " + line + " ")
	rs = subOne(rs, is13aPunct)
	rs = subPair(rs, notASCIIDigit, isPeriodComma, spaceAfterBoth)
	rs = subPair(rs, isPeriodComma, notASCIIDigit, spaceBeforeBoth)
	rs = subPair(rs, isASCIIDigit, isHyphen, spaceAfterBoth)
	return strings.Join(Fields(string(rs)), " ")
}

// tokenizeIntl: the three Unicode-property expressions of sacrebleu's
// TokenizerV14International (run by the "regex" module),
//
//	(\P{N})(\p{P})  ->  "\1 \2 "   punctuation after a non-number
//	(\p{P})(\P{N})  ->  " \1 \2"   punctuation before a non-number
//	(\p{S})         ->  " \1 "     every symbol
//
// then whitespace collapsing. The categories come from Go's unicode tables
// (unicode.Version); see docs/metrics.md for the version caveat.
func tokenizeIntl(line string) string {
	rs := []rune(line)
	rs = subPair(rs, notNumber, isPunct, spaceAfterBoth)
	rs = subPair(rs, isPunct, notNumber, spaceBeforeBoth)
	rs = subOne(rs, isSymbol)
	return strings.Join(Fields(string(rs)), " ")
}

// subOne is re.sub(r"(X)", r" \1 ", s) for a one-character class X.
func subOne(rs []rune, match func(rune) bool) []rune {
	out := make([]rune, 0, len(rs)+8)
	for _, r := range rs {
		if match(r) {
			out = append(out, ' ', r, ' ')
		} else {
			out = append(out, r)
		}
	}
	return out
}

// subPair is re.sub for a pattern of two one-character classes (A)(B):
// matches are found left to right without overlap, exactly as Python's
// re.sub scans, and each is rewritten by repl.
func subPair(rs []rune, first, second func(rune) bool, repl func(out []rune, a, b rune) []rune) []rune {
	out := make([]rune, 0, len(rs)+8)
	for i := 0; i < len(rs); {
		if i+1 < len(rs) && first(rs[i]) && second(rs[i+1]) {
			out = repl(out, rs[i], rs[i+1])
			i += 2
			continue
		}
		out = append(out, rs[i])
		i++
	}
	return out
}

// spaceAfterBoth is the replacement r"\1 \2 ".
func spaceAfterBoth(out []rune, a, b rune) []rune { return append(out, a, ' ', b, ' ') }

// spaceBeforeBoth is the replacement r" \1 \2".
func spaceBeforeBoth(out []rune, a, b rune) []rune { return append(out, ' ', a, ' ', b) }

// is13aPunct is the class [\{-\~\[-\` -\&\(-\+\:-\@\/]: the ranges {..~,
// [..`, space..&, (..+, :..@ and '/'. Note that ' (apostrophe), '-', '.'
// and ',' are not in it.
func is13aPunct(r rune) bool {
	return (r >= '{' && r <= '~') || (r >= '[' && r <= '`') || (r >= ' ' && r <= '&') ||
		(r >= '(' && r <= '+') || (r >= ':' && r <= '@') || r == '/'
}

func isASCIIDigit(r rune) bool  { return r >= '0' && r <= '9' }
func notASCIIDigit(r rune) bool { return !isASCIIDigit(r) }
func isPeriodComma(r rune) bool { return r == '.' || r == ',' }
func isHyphen(r rune) bool      { return r == '-' }
func isPunct(r rune) bool       { return unicode.Is(unicode.P, r) }
func isSymbol(r rune) bool      { return unicode.Is(unicode.S, r) }
func notNumber(r rune) bool     { return !unicode.Is(unicode.N, r) }
