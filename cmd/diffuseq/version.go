package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/diffuseq-go/diffuseq/asm"
	"github.com/diffuseq-go/diffuseq/internal/parallel"
)

func init() {
	register(command{name: "version", summary: "print the version, kernel path and threads", run: runVersion})
}

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintf(stdout, "diffuseq %s %s/%s %s kernels=%s threads=%d\n",
		v, runtime.GOOS, runtime.GOARCH, runtime.Version(), asm.Impl(), parallel.Threads())
	return nil
}
