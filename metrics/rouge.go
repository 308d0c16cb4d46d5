package metrics

// ROUGEScore holds torchmetrics' rougeL precision, recall and F-measure.
// They are float32 because torchmetrics returns float32 tensors: each is
// computed in float64 and rounded once, as tensor(python_float) does.
type ROUGEScore struct {
	Precision, Recall, FMeasure float32
}

// ROUGEL is torchmetrics' ROUGEScore()(pred, target)["rougeL_*"] for one
// prediction and one reference with the default normaliser and tokeniser
// and no stemming: both texts are lowercased, every run of characters
// outside [a-z0-9] becomes a space, and the remaining words are compared.
// With ℓ the longest common subsequence of the word lists, P = ℓ/|pred|,
// R = ℓ/|target| and F = 2PR/(P+R); all three are 0 when either list is
// empty or ℓ = 0.
func ROUGEL(pred, target string) ROUGEScore {
	p, t := RougeTokens(pred), RougeTokens(target)
	if len(p) == 0 || len(t) == 0 {
		return ROUGEScore{}
	}
	lcs := lcsLength(p, t)
	precision := float64(lcs) / float64(len(p))
	recall := float64(lcs) / float64(len(t))
	if precision == 0 && recall == 0 {
		return ROUGEScore{}
	}
	f := 2 * precision * recall / (precision + recall)
	return ROUGEScore{Precision: float32(precision), Recall: float32(recall), FMeasure: float32(f)}
}

// RougeTokens is torchmetrics' _normalize_and_tokenize_text without
// stemmer: re.sub(r"[^a-z0-9]+", " ", text.lower()) split on whitespace.
// Only ASCII letters and digits survive, so the result is the maximal runs
// of characters whose Python lowercase is in [a-z0-9]. Besides A-Z that is
// the Kelvin sign U+212A (lowercase "k") and U+0130 'İ', whose lowercase is
// "i" followed by U+0307 — a separator, so "İx" gives the words "i", "x".
func RougeTokens(text string) []string {
	var words []string
	word := make([]byte, 0, 16)
	flush := func() {
		if len(word) > 0 {
			words = append(words, string(word))
			word = word[:0]
		}
	}
	for _, r := range text {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			word = append(word, byte(r))
		case r >= 'A' && r <= 'Z':
			word = append(word, byte(r-'A'+'a'))
		case r == 0x212A: // KELVIN SIGN
			word = append(word, 'k')
		case r == 0x0130: // LATIN CAPITAL LETTER I WITH DOT ABOVE
			word = append(word, 'i')
			flush()
		default:
			flush()
		}
	}
	flush()
	return words
}

// lcsLength is the length of the longest common subsequence of a and b,
// by the usual dynamic programme kept to two rows of len(b)+1.
func lcsLength(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
