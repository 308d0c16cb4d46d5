//go:build !unix

package train

// lockRun is a no-op where advisory file locks are not available: the
// user must not run two trainers on one folder.
func lockRun(dir string) (unlock func(), err error) { return func() {}, nil }
