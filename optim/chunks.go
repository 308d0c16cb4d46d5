package optim

import "github.com/diffuseq-go/diffuseq/internal/parallel"

// chunkLen is the number of elements per unit of parallel work. The AdamW
// and EMA updates are elementwise, so the split never changes a result; it
// only has to be large enough that handing a chunk to a worker is cheap.
const chunkLen = 1 << 15

// chunk is elements [lo, hi) of parameter p.
type chunk struct{ p, lo, hi int }

// splitChunks cuts every parameter into pieces of at most chunkLen elements.
func splitChunks(params []Param) []chunk {
	var cs []chunk
	for i, p := range params {
		for lo := 0; lo < len(p.Value); lo += chunkLen {
			cs = append(cs, chunk{i, lo, min(lo+chunkLen, len(p.Value))})
		}
	}
	return cs
}

// updateChunks runs the AdamW update of this step and then every EMA update
// on chunks [lo, hi) of o.chunks. Per element the order is the reference's:
// θ is final before any EMA reads it.
func (o *Optimizer) updateChunks(lo, hi int) {
	for _, c := range o.chunks[lo:hi] {
		p := o.params[c.p]
		a := o.adam
		adamwUpdate(p.Value[c.lo:c.hi], p.Grad[c.lo:c.hi], a.expAvg[c.p][c.lo:c.hi], a.expAvgSq[c.p][c.lo:c.hi], &o.consts)
		for _, e := range o.emas {
			e.update(e.Values[c.p][c.lo:c.hi], p.Value[c.lo:c.hi])
		}
	}
}

// inlineBelow is the total element count under which a step runs on the
// caller alone: handing work to the pool costs more than it saves there.
const inlineBelow = 1 << 16

// runUpdates spreads the chunks over the worker pool. Measured on the
// 2-core test machine (BenchmarkStep/small-4M, noisy shared host): about
// 11.7 ns/element on one thread, 8.7 on two. parallel.For allocates one
// WaitGroup per call, so a parallel step makes exactly one small allocation;
// an inline step makes none.
func (o *Optimizer) runUpdates() {
	if o.elems < inlineBelow {
		o.updateChunks(0, len(o.chunks))
		return
	}
	parallel.For(len(o.chunks), 1, o.updateFn)
}
