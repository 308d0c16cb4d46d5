package data

import "fmt"

// MinSeqLen is the smallest seq_len accepted: room for the start token and
// end token of both sides plus the separator.
const MinSeqLen = 5

// Join builds one training row from the encoded source x and target y
// (each with its start and end token, as Tokenizer.Encode returns them),
// following section 1.3 of the reference exactly:
//
//	end := last id of x;  src := x[:-1];  trg := y[:-1]
//	while len(src)+len(trg) > L-3: drop the last id of the longer side
//	                               (both when equally long)
//	src += end;  trg += end
//	input_ids  = src ++ [sep] ++ trg, right-padded with pad to L
//	input_mask = 0 on src and the separator, 1 on the target and padding
//
// Truncation thus always cuts the end of the longer side, and the target
// keeps its own start token. ids and mask are written into inputIDs and
// inputMask, each of length L. It panics on a short row or x/y.
func Join(inputIDs, inputMask []int, x, y []int, sep, pad int) {
	L := len(inputIDs)
	if len(inputMask) != L || L < MinSeqLen || len(x) < 1 || len(y) < 1 {
		panic(fmt.Sprintf("data.Join: ids %d, mask %d (need equal, >= %d), x %d, y %d (need >= 1)",
			len(inputIDs), len(inputMask), MinSeqLen, len(x), len(y)))
	}
	end := x[len(x)-1]
	src, trg := x[:len(x)-1], y[:len(y)-1]
	for len(src)+len(trg) > L-3 {
		switch {
		case len(src) > len(trg):
			src = src[:len(src)-1]
		case len(src) < len(trg):
			trg = trg[:len(trg)-1]
		default:
			src, trg = src[:len(src)-1], trg[:len(trg)-1]
		}
	}
	n := copy(inputIDs, src)
	inputIDs[n] = end
	inputIDs[n+1] = sep
	for i := 0; i < n+2; i++ {
		inputMask[i] = 0 // src, its end token and the separator are kept clean
	}
	m := copy(inputIDs[n+2:], trg)
	inputIDs[n+2+m] = end
	for i := n + 2; i < L; i++ {
		inputMask[i] = 1 // the target and the padding are noised and generated
	}
	for i := n + 3 + m; i < L; i++ {
		inputIDs[i] = pad
	}
}
