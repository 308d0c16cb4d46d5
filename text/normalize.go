package text

import "unicode"

// bertNormalizer is BERT's text normaliser, applied to every piece of input
// text that is not a literal special token. The steps and their order are
// those of the reference's fast tokenizer (section 1.2 of the spec):
//
//  1. clean: drop NUL, U+FFFD and control/format/private-use characters
//     (tab, newline and carriage return count as whitespace, not control),
//     then map every whitespace character to a plain space;
//  2. put a space on both sides of every CJK ideograph, so each becomes a
//     word of its own;
//  3. (uncased only) strip accents: NFD, then drop nonspacing marks (Mn);
//  4. (uncased only) lowercase each code point with the full Unicode
//     mapping (İ → "i̇"), code point by code point (no final-sigma rule).
type bertNormalizer struct {
	lowercase bool // steps 3 and 4; bert-base-uncased sets it
}

// normalize returns the normalised runes of s.
func (n bertNormalizer) normalize(s string) []rune {
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		if r < 0x80 && r > 0x20 && r != 0x7F { // printable ASCII: kept as is
			rs = append(rs, r)
			continue
		}
		if isBertControl(r) {
			continue
		}
		if isBertWhitespace(r) {
			r = ' '
		}
		if isCJK(r) {
			rs = append(rs, ' ', r, ' ')
			continue
		}
		rs = append(rs, r)
	}
	if !n.lowercase {
		return rs
	}
	// Strip accents before lowercasing, as the reference does: İ (U+0130)
	// decomposes to I + U+0307, loses the dot, then lowercases to plain i.
	decomposed := appendNFD(make([]rune, 0, len(rs)), rs)
	out := rs[:0]
	for _, r := range decomposed {
		if r < 0x80 { // ASCII: no marks, simple lowercase
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			out = append(out, r)
			continue
		}
		if unicode.Is(bertMarks, r) {
			continue
		}
		out = appendLower(out, r)
	}
	return out
}

// appendLower appends the full lowercase mapping of r. Go's unicode.ToLower
// is the simple (one-to-one) mapping; the only unconditional one-to-many
// lowercase mapping in Unicode's SpecialCasing is U+0130, handled here.
func appendLower(dst []rune, r rune) []rune {
	if r == 'İ' {
		return append(dst, 'i', '\u0307')
	}
	return append(dst, unicode.ToLower(r))
}

// isBertWhitespace reports the characters the reference treats as spaces:
// the Unicode White_Space property (which includes tab, LF and CR).
func isBertWhitespace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r)
}

// isBertControl reports the characters the cleaning step deletes: NUL,
// U+FFFD and the general categories Cc, Cf and Co as the reference's
// Unicode tables have them, except tab, newline and carriage return (which
// BERT treats as whitespace).
func isBertControl(r rune) bool {
	return unicode.Is(bertControl, r)
}

// isCJK reports the CJK Unified Ideographs blocks (and compatibility
// ideographs) that BERT splits into single-character words. Hiragana,
// Katakana and Hangul are not in these blocks and stay attached.
func isCJK(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) ||
		(r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0x20000 && r <= 0x2A6DF) ||
		(r >= 0x2A700 && r <= 0x2B73F) ||
		(r >= 0x2B740 && r <= 0x2B81F) ||
		(r >= 0x2B920 && r <= 0x2CEAF) ||
		(r >= 0xF900 && r <= 0xFAFF) ||
		(r >= 0x2F800 && r <= 0x2FA1F)
}

// isBertPunct reports the characters BERT splits off as one-character
// words: all ASCII non-alphanumeric printable characters (33–47, 58–64,
// 91–96, 123–126, so "$", "+", "^" and "`" too) and the Unicode P*
// categories as the reference's tables have them.
func isBertPunct(r rune) bool {
	if (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126) {
		return true
	}
	return unicode.Is(bertPunct, r)
}

// Why tables instead of Go's unicode.Mn, unicode.P and unicode.Cf: the
// reference's tokenizer classifies characters with tables from an older
// Unicode release than Go's (about 20 format characters, 130 punctuation
// marks and 700 nonspacing marks differ, all added to Unicode since).
// bert_tables.go holds the reference's classes, read off the oracle by
// testdata/tokenizer/gen_unicode_tables.js.
