package data

import (
	"fmt"
	"io"
	"sort"
)

// LoaderOptions choose the order and size of batches.
type LoaderOptions struct {
	BatchSize int
	// Shuffle draws the example order from Seed. Without it, batches
	// follow file order (the reference's deterministic test loader).
	Shuffle bool
	Seed    uint64
	// ReshuffleEachEpoch draws a new order for every epoch from (Seed,
	// epoch). Without it every epoch repeats the same order, as the
	// reference's training loader does (it never calls set_epoch).
	ReshuffleEachEpoch bool
	// TorchOrder draws permutations as torch.randperm from a generator
	// seeded with Seed (+ epoch with ReshuffleEachEpoch), the order of the
	// reference's DistributedSampler: with Seed 0 and no reshuffling these
	// are exactly the reference training loader's batches. Otherwise the
	// permutation comes from PCG32 seeded with (Seed, epoch).
	TorchOrder bool
	// Repeat makes Next cycle through epochs forever (training); without
	// it Next returns io.EOF after one epoch.
	Repeat bool
	// BucketByLength groups examples of similar length into the same batch
	// to waste less compute on padding: the epoch order is cut into
	// windows of BucketWindow batches, each window is sorted by length and
	// cut into batches, and the batches are shuffled (when Shuffle).
	BucketByLength bool
	BucketWindow   int // batches per window; 0 means 50
}

// State is a position in the data stream: the epoch and the index of the
// next batch within it. Saving it with a checkpoint lets training resume
// at the same batch.
type State struct {
	Epoch int `json:"epoch"`
	Batch int `json:"batch"`
}

// Batch is B rows of length L.
type Batch struct {
	InputIDs  [][]int // (B, L)
	InputMask [][]int // (B, L): 0 on source+separator, 1 on target and padding
	Records   []int   // (B) record numbers (Dataset.Line gives the file line)
}

// Loader cuts a Dataset into batches.
type Loader struct {
	ds    *Dataset
	opt   LoaderOptions
	state State
	// batches of the current epoch, as record numbers; built lazily.
	epochBatches [][]int
	builtEpoch   int
}

// NewLoader returns a loader at epoch 0, batch 0.
func NewLoader(ds *Dataset, opt LoaderOptions) (*Loader, error) {
	if opt.BatchSize < 1 {
		return nil, fmt.Errorf("batch size %d must be at least 1", opt.BatchSize)
	}
	if opt.BucketWindow == 0 {
		opt.BucketWindow = 50
	}
	if opt.BucketWindow < 1 {
		return nil, fmt.Errorf("bucket window %d must be at least 1", opt.BucketWindow)
	}
	return &Loader{ds: ds, opt: opt, builtEpoch: -1}, nil
}

// State returns the position of the next batch.
func (l *Loader) State() State { return l.state }

// SetState moves to a saved position.
func (l *Loader) SetState(s State) error {
	if s.Epoch < 0 || s.Batch < 0 || s.Batch > l.BatchesPerEpoch() {
		return fmt.Errorf("data state %+v out of range (%d batches per epoch)", s, l.BatchesPerEpoch())
	}
	l.state = s
	return nil
}

// BatchesPerEpoch is ceil(N / B): the last batch of an epoch may be short.
func (l *Loader) BatchesPerEpoch() int {
	return (l.ds.Len() + l.opt.BatchSize - 1) / l.opt.BatchSize
}

// Next returns the next batch, or io.EOF at the end of a non-repeating
// loader.
func (l *Loader) Next() (Batch, error) {
	if l.state.Batch >= l.BatchesPerEpoch() {
		if !l.opt.Repeat {
			return Batch{}, io.EOF
		}
		l.state = State{Epoch: l.state.Epoch + 1}
	}
	recs := l.batches(l.state.Epoch)[l.state.Batch]
	L := l.ds.SeqLen()
	b := Batch{InputIDs: make([][]int, len(recs)), InputMask: make([][]int, len(recs)), Records: recs}
	ids := make([]int, len(recs)*L)
	mask := make([]int, len(recs)*L)
	for i, rec := range recs {
		b.InputIDs[i], b.InputMask[i] = ids[i*L:(i+1)*L:(i+1)*L], mask[i*L:(i+1)*L:(i+1)*L]
		if err := l.ds.Row(rec, b.InputIDs[i], b.InputMask[i]); err != nil {
			return Batch{}, err
		}
	}
	l.state.Batch++
	return b, nil
}

// batches returns the batches of an epoch as record numbers.
func (l *Loader) batches(epoch int) [][]int {
	if !l.opt.ReshuffleEachEpoch {
		epoch = 0
	}
	if l.builtEpoch == epoch {
		return l.epochBatches
	}
	n, B := l.ds.Len(), l.opt.BatchSize
	var order []int
	switch {
	case l.opt.Shuffle && l.opt.TorchOrder:
		order = torchRandperm(n, l.opt.Seed+uint64(epoch))
	case l.opt.Shuffle:
		order = permutation(n, l.opt.Seed, uint64(epoch))
	default:
		order = make([]int, n)
		for i := range order {
			order[i] = i
		}
	}
	var out [][]int
	if !l.opt.BucketByLength {
		for lo := 0; lo < n; lo += B {
			out = append(out, order[lo:min(lo+B, n)])
		}
	} else {
		win := B * l.opt.BucketWindow
		for lo := 0; lo < n; lo += win {
			w := order[lo:min(lo+win, n)]
			sort.SliceStable(w, func(i, j int) bool { return l.ds.lengths[w[i]] < l.ds.lengths[w[j]] })
			var wb [][]int
			for k := 0; k < len(w); k += B {
				wb = append(wb, w[k:min(k+B, len(w))])
			}
			if l.opt.Shuffle {
				// Shuffle the batch order inside the window so short and
				// long batches alternate; a separate stream keeps it
				// independent of the example permutation.
				idx := permutation(len(wb), l.opt.Seed^uint64(lo/win+1)*0x9E3779B97F4A7C15, 1<<63|uint64(epoch))
				shuffled := make([][]int, len(wb))
				for i, j := range idx {
					shuffled[i] = wb[j]
				}
				wb = shuffled
			}
			out = append(out, wb...)
		}
	}
	l.epochBatches, l.builtEpoch = out, epoch
	return out
}

// Flat returns the batch as row-major int32 arrays of shape (B, L), the
// layout embedding look-ups and the loss take.
func (b Batch) Flat() (inputIDs, inputMask []int32) {
	if len(b.InputIDs) == 0 {
		return nil, nil
	}
	L := len(b.InputIDs[0])
	inputIDs = make([]int32, 0, len(b.InputIDs)*L)
	inputMask = make([]int32, 0, len(b.InputIDs)*L)
	for i := range b.InputIDs {
		for j := 0; j < L; j++ {
			inputIDs = append(inputIDs, int32(b.InputIDs[i][j]))
			inputMask = append(inputMask, int32(b.InputMask[i][j]))
		}
	}
	return inputIDs, inputMask
}
