//go:build unix

package ops

import (
	"syscall"
	"time"
)

// processCPU is the user+system CPU time this process has used so far.
// Unlike wall time it barely moves when other jobs share the cores, which
// makes it the steadier measure of work on a loaded machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
