package data

import (
	"slices"
	"testing"
)

// TestJoinWorkedExample is the worked example of spec section 1.3: BERT,
// L = 12, source s1..s6, target t1..t5.
func TestJoinWorkedExample(t *testing.T) {
	const cls, sep, pad = 101, 102, 0
	x := []int{cls, 1, 2, 3, 4, 5, 6, sep}
	y := []int{cls, 11, 12, 13, 14, 15, sep}
	ids, mask := make([]int, 12), make([]int, 12)
	Join(ids, mask, x, y, sep, pad)
	wantIDs := []int{cls, 1, 2, 3, sep, sep, cls, 11, 12, 13, sep, pad}
	wantMask := []int{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}
	if !slices.Equal(ids, wantIDs) || !slices.Equal(mask, wantMask) {
		t.Fatalf("ids %v mask %v\nwant %v mask %v", ids, mask, wantIDs, wantMask)
	}
}

// joinSpec is a direct transcription of the spec's list-based pseudocode,
// used to check Join over many lengths.
func joinSpec(x, y []int, sep, pad, L int) ([]int, []int) {
	end := x[len(x)-1]
	src := append([]int(nil), x[:len(x)-1]...)
	trg := append([]int(nil), y[:len(y)-1]...)
	for len(src)+len(trg) > L-3 {
		if len(src) > len(trg) {
			src = src[:len(src)-1]
		} else if len(src) < len(trg) {
			trg = trg[:len(trg)-1]
		} else {
			src, trg = src[:len(src)-1], trg[:len(trg)-1]
		}
	}
	src = append(src, end)
	trg = append(trg, end)
	ids := append(append(append([]int{}, src...), sep), trg...)
	mask := make([]int, len(src)+1)
	for len(ids) < L {
		ids = append(ids, pad)
	}
	for len(mask) < L {
		mask = append(mask, 1)
	}
	return ids, mask
}

func TestJoinMatchesSpecAllLengths(t *testing.T) {
	const start, end, sep, pad = 0, 1, 1, 3
	for L := MinSeqLen; L <= 20; L++ {
		for n := 0; n <= 25; n++ {
			for m := 0; m <= 25; m++ {
				x := []int{start}
				for i := 0; i < n; i++ {
					x = append(x, 100+i)
				}
				x = append(x, end)
				y := []int{start}
				for i := 0; i < m; i++ {
					y = append(y, 200+i)
				}
				y = append(y, end)
				ids, mask := make([]int, L), make([]int, L)
				Join(ids, mask, x, y, sep, pad)
				wi, wm := joinSpec(x, y, sep, pad, L)
				if !slices.Equal(ids, wi) || !slices.Equal(mask, wm) {
					t.Fatalf("L=%d n=%d m=%d: got %v %v, want %v %v", L, n, m, ids, mask, wi, wm)
				}
			}
		}
	}
}

func TestJoinPanicsOnShortRow(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	Join(make([]int, 4), make([]int, 4), []int{0, 1}, []int{0, 1}, 1, 3)
}
