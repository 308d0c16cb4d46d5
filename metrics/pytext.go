package metrics

import "strings"

// isPySpace reports whether r is whitespace for Python's str.split(),
// str.strip() and str.isspace(): the characters with bidirectional class
// WS, B or S or general category Zs. Unlike Go's unicode.IsSpace this
// includes the information separators U+001C..U+001F, which Python treats
// as line breaks; the set has been stable since Unicode 6.
func isPySpace(r rune) bool {
	switch {
	case r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1c && r <= 0x1f):
		return true
	case r < 0x85:
		return false
	}
	switch r {
	case 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// Fields splits s like Python's s.split() with no argument: runs of
// whitespace (isPySpace) separate tokens and no token is empty. The
// reference computes every BLEU and dist-n over these tokens.
func Fields(s string) []string {
	return strings.FieldsFunc(s, isPySpace)
}

// PyStrip removes leading and trailing whitespace like Python's s.strip().
func PyStrip(s string) string {
	return strings.TrimFunc(s, isPySpace)
}

// PyRStrip removes trailing whitespace like Python's s.rstrip().
func PyRStrip(s string) string {
	return strings.TrimRightFunc(s, isPySpace)
}
