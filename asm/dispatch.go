package asm

import (
	"fmt"
	"os"
)

// Level names a family of kernel implementations.
type Level int

const (
	Generic Level = iota // pure Go, every platform
	AVX2                 // amd64 with AVX2 and FMA
	AVX512               // amd64 with AVX-512F (reserved: no kernels yet, see docs/kernels.md)
	NEON                 // arm64 Advanced SIMD
)

func (l Level) String() string {
	switch l {
	case Generic:
		return "generic"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	case NEON:
		return "neon"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// ParseLevel maps the names accepted by DIFFUSEQ_KERNELS to a Level.
func ParseLevel(s string) (Level, error) {
	for _, l := range []Level{Generic, AVX2, AVX512, NEON} {
		if l.String() == s {
			return l, nil
		}
	}
	return Generic, fmt.Errorf("asm: unknown kernel path %q (want generic, avx2, avx512 or neon)", s)
}

// binders are called with the chosen level; each kernel file family
// registers one that points its function variables at the right code.
var binders []func(Level)

// bind registers a binder. It is called from package-level var
// initialisers, which run before any init function, so every binder is in
// place when init below picks the level.
func bind(f func(Level)) bool {
	binders = append(binders, f)
	return true
}

var current Level

func init() {
	l := Best()
	if s := os.Getenv("DIFFUSEQ_KERNELS"); s != "" {
		want, err := ParseLevel(s)
		if err != nil {
			fmt.Fprintln(os.Stderr, "diffuseq:", err, "- using", l)
		} else if !Supported(want) {
			fmt.Fprintf(os.Stderr, "diffuseq: DIFFUSEQ_KERNELS=%s is not supported on this CPU - using %s\n", s, l)
		} else {
			l = want
		}
	}
	use(l)
}

func use(l Level) {
	current = l
	for _, b := range binders {
		b(l)
	}
}

// Impl reports the kernel path in use.
func Impl() Level { return current }

// Available lists every level this machine can run, generic first.
func Available() []Level {
	out := []Level{Generic}
	for _, l := range []Level{AVX2, AVX512, NEON} {
		if Supported(l) {
			out = append(out, l)
		}
	}
	return out
}

// SetImpl switches every kernel to level l and returns a function that
// restores the previous level. It is for tests and benchmarks that compare
// paths in one process; it must not race with running kernels.
func SetImpl(l Level) (restore func()) {
	if !Supported(l) {
		panic(fmt.Sprintf("asm: level %s not supported on this machine", l))
	}
	prev := current
	use(l)
	return func() { use(prev) }
}
