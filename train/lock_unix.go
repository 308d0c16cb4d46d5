//go:build unix

package train

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// LockFile guards a run folder against a second trainer.
const LockFile = ".lock"

// lockRun takes an exclusive advisory lock on dir/.lock so that two
// trainers never write one run folder (their checkpoints and logs would
// interleave). The kernel drops the lock when the process dies, kill -9
// included, so a crashed run never blocks its own resume.
func lockRun(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, LockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s is in use by another training process (%v); wait for it or stop it first", dir, err)
	}
	return func() { f.Close() }, nil
}
