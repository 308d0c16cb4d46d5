package safetensors

import (
	"errors"
	"io/fs"
	"syscall"
)

// isSyncUnsupported reports whether fsync on a directory failed only
// because the platform or file system does not support it (EINVAL on some
// Linux file systems, permission errors on Windows directory handles).
func isSyncUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, fs.ErrPermission) || errors.Is(err, errors.ErrUnsupported)
}
