package asm

import (
	"sync"
	"sync/atomic"

	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

// Threading: the output is cut into tm×tn blocks on the kernel's tile grid
// (never along k), and the batch×tm×tn tasks are handed out dynamically:
// parallel.For starts one loop per thread and each loop takes the next
// task from a shared counter, so a thread slowed down by other load on the
// machine simply takes fewer tasks. Each task packs its own panels into a
// worker-private workspace, so workers never wait on each other; the cost
// is that a B (or A) block is packed once per task, which is small next to
// the m·n·k multiply-adds. Which task computes an element does not change
// its arithmetic, so results do not depend on the schedule.

// serialMACs is the size (m·n·k multiply-adds) below which a product runs
// on the calling goroutine: handing it to the pool would cost more than it
// saves.
const serialMACs = 1 << 20

// gemmWorkspace holds one worker's packing buffers.
type gemmWorkspace struct {
	a   []float32 // packed A block, mc/mr panels
	b   []float32 // packed B block, nc/nr panels
	tmp []float32 // one mr×nr edge tile
}

// workspaces is a free list: buffers are allocated the first time they are
// needed and reused by every later call, so a steady stream of products
// allocates nothing. It grows to the number of tasks ever run at once.
var workspaces struct {
	sync.Mutex
	free []*gemmWorkspace
}

func getWorkspace(kern *gemmKernel) *gemmWorkspace {
	workspaces.Lock()
	var ws *gemmWorkspace
	if n := len(workspaces.free); n > 0 {
		ws = workspaces.free[n-1]
		workspaces.free = workspaces.free[:n-1]
	}
	workspaces.Unlock()
	if ws == nil {
		ws = new(gemmWorkspace)
	}
	bl := kern.blocks
	if n := bl.mc / kern.mr * panelStride(kern.mr, bl.kc); len(ws.a) < n {
		ws.a = make([]float32, n)
	}
	if n := bl.nc / kern.nr * panelStride(kern.nr, bl.kc); len(ws.b) < n {
		ws.b = make([]float32, n)
	}
	if len(ws.tmp) < kern.mr*kern.nr {
		ws.tmp = make([]float32, kern.mr*kern.nr)
	}
	return ws
}

func putWorkspace(ws *gemmWorkspace) {
	workspaces.Lock()
	workspaces.free = append(workspaces.free, ws)
	workspaces.Unlock()
}

// gemmCall is one (batched) product cut into tasks. Calls are recycled so
// that run, the method value handed to parallel.For, is made only once.
type gemmCall struct {
	kern                      *gemmKernel
	args                      gemmArgs
	strideA, strideB, strideC int
	tm, tn                    int // blocks of C per batch item: tm down, tn across
	rowsPer, colsPer          int // size of a block (multiples of mr, nr)
	tasks                     int // batch·tm·tn
	next                      atomic.Int64
	run                       func(lo, hi int) // c.runTasks, made once
	steal                     func(lo, hi int) // c.stealTasks, made once
}

var calls struct {
	sync.Mutex
	free []*gemmCall
}

func getCall() *gemmCall {
	calls.Lock()
	defer calls.Unlock()
	if n := len(calls.free); n > 0 {
		c := calls.free[n-1]
		calls.free = calls.free[:n-1]
		return c
	}
	c := new(gemmCall)
	c.run = c.runTasks
	c.steal = c.stealTasks
	return c
}

func putCall(c *gemmCall) {
	c.args.a, c.args.b, c.args.c = nil, nil, nil // do not pin the caller's memory
	calls.Lock()
	calls.free = append(calls.free, c)
	calls.Unlock()
}

// runTasks computes tasks [lo, hi); task t is block (t%(tm·tn)) of batch
// item t/(tm·tn).
func (c *gemmCall) runTasks(lo, hi int) {
	ws := getWorkspace(c.kern)
	for t := lo; t < hi; t++ {
		c.runTask(ws, t)
	}
	putWorkspace(ws)
}

func (c *gemmCall) runTask(ws *gemmWorkspace, t int) {
	per := c.tm * c.tn
	bi, blk := t/per, t%per
	g := c.args
	g.a = g.a[bi*c.strideA:]
	g.b = g.b[bi*c.strideB:]
	g.c = g.c[bi*c.strideC:]
	ti, tj := blk/c.tn, blk%c.tn
	i0, j0 := ti*c.rowsPer, tj*c.colsPer
	gemmBlock(c.kern, ws, &g, i0, min(i0+c.rowsPer, g.m), j0, min(j0+c.colsPer, g.n))
}

// stealTasks ignores its range: it is one worker's loop, taking tasks
// from the shared counter until none are left.
func (c *gemmCall) stealTasks(_, _ int) {
	ws := getWorkspace(c.kern)
	for {
		t := int(c.next.Add(1)) - 1
		if t >= c.tasks {
			break
		}
		c.runTask(ws, t)
	}
	putWorkspace(ws)
}

// split cuts an m×n output into about parts blocks along its longer side
// (so the operand packed redundantly by every block is the smaller one).
func (c *gemmCall) split(parts int) {
	m, n, mr, nr := c.args.m, c.args.n, c.kern.mr, c.kern.nr
	c.tm, c.tn, c.rowsPer, c.colsPer = 1, 1, m, n
	if parts <= 1 {
		return
	}
	if m >= n {
		tiles := (m + mr - 1) / mr
		c.rowsPer = (tiles + parts - 1) / parts * mr
		c.tm = (m + c.rowsPer - 1) / c.rowsPer
		return
	}
	tiles := (n + nr - 1) / nr
	c.colsPer = (tiles + parts - 1) / parts * nr
	c.tn = (n + c.colsPer - 1) / c.colsPer
}

// sgemmBlocked runs batch products with kernel kern (batch = 1 and zero
// strides for a single Sgemm). Sizes are already checked and m, n > 0.
func sgemmBlocked(kern *gemmKernel, transA, transB bool, m, n, k int, alpha float32, a []float32, lda, strideA int, b []float32, ldb, strideB int, beta float32, c []float32, ldc, strideC int, batch int) {
	if alpha == 0 || k == 0 {
		for i := 0; i < batch; i++ {
			scaleC(beta, c[i*strideC:], ldc, m, n)
		}
		return
	}
	call := getCall()
	call.kern = kern
	call.args = gemmArgs{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc}
	call.strideA, call.strideB, call.strideC = strideA, strideB, strideC
	threads := parallel.Threads()
	macs := m * n * k
	parts := 1
	if threads > 1 && macs >= serialMACs {
		// Cut each item so that there are about two tasks per thread: a
		// slow thread then costs at most half a task's time.
		parts = (2*threads + batch - 1) / batch
	}
	call.split(parts)
	call.tasks = batch * call.tm * call.tn
	if threads == 1 || macs*batch < serialMACs || call.tasks == 1 {
		call.run(0, call.tasks)
	} else {
		call.next.Store(0)
		parallel.For(min(threads, call.tasks), 1, call.steal)
	}
	putCall(call)
}
