package text

import "sort"

// Hangul syllable constants (Unicode §3.12): a precomposed syllable S in
// [sBase, sBase+sCount) decomposes into a leading consonant L, a vowel V and
// an optional trailing consonant T, computed rather than tabulated.
const (
	hangulSBase  = 0xAC00
	hangulLBase  = 0x1100
	hangulVBase  = 0x1161
	hangulTBase  = 0x11A7
	hangulVCount = 21
	hangulTCount = 28
	hangulNCount = hangulVCount * hangulTCount // 588
	hangulSCount = 19 * hangulNCount           // 11172
)

// appendNFD appends the canonical decomposition (NFD) of the runes rs to
// dst: each rune is replaced by its full decomposition, then every run of
// non-starters (combining class > 0) is stably sorted by combining class
// (canonical ordering). BERT's accent stripping is NFD followed by dropping
// the nonspacing marks, so "é" (U+00E9) becomes "e" + U+0301 and then "e".
func appendNFD(dst []rune, rs []rune) []rune {
	start := len(dst)
	for _, r := range rs {
		switch {
		case r < 0xC0: // nothing below À decomposes
			dst = append(dst, r)
		case r >= hangulSBase && r < hangulSBase+hangulSCount:
			s := r - hangulSBase
			dst = append(dst, hangulLBase+s/hangulNCount, hangulVBase+(s%hangulNCount)/hangulTCount)
			if t := s % hangulTCount; t != 0 {
				dst = append(dst, hangulTBase+t)
			}
		default:
			if d, ok := nfdDecomp[r]; ok {
				dst = append(dst, []rune(d)...)
			} else {
				dst = append(dst, r)
			}
		}
	}
	reorderMarks(dst[start:])
	return dst
}

// reorderMarks applies canonical ordering in place: each maximal run of
// runes with non-zero combining class is stably sorted by that class.
func reorderMarks(rs []rune) {
	for i := 0; i < len(rs); {
		if rs[i] < 0x300 || nfdCCC[rs[i]] == 0 { // no combining class below U+0300
			i++
			continue
		}
		j := i
		for j < len(rs) && nfdCCC[rs[j]] != 0 {
			j++
		}
		if j-i > 1 {
			run := rs[i:j]
			sort.SliceStable(run, func(a, b int) bool { return nfdCCC[run[a]] < nfdCCC[run[b]] })
		}
		i = j
	}
}
