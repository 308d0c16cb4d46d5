//go:build unix

package main

import (
	"syscall"
	"time"
)

// processCPU is the user+system CPU time this process has used so far.
// bench step reports it per step beside the wall time: on a machine shared
// with other jobs it barely moves with the load, so one-thread CPU times
// compare runs more steadily than wall times do.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
