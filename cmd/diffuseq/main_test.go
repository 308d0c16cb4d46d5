package main

import (
	"bytes"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestVersionNamesKernelPath(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.Contains(out, "kernels=") {
		t.Fatalf("version: code %d, output %q", code, out)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errOut := runCLI(t, "nope")
	if code != 2 || !strings.Contains(errOut, `unknown command "nope"`) {
		t.Fatalf("code %d stderr %q", code, errOut)
	}
}
