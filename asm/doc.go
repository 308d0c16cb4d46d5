// Package asm holds the hot numeric kernels on raw []float32: sgemm, the
// vector kernels the layers need (dot, axpy, exp, tanh, GELU, row softmax,
// row layernorm, ...). Each kernel has a pure-Go twin (the *Generic function,
// which is also its specification and test oracle) and, where a benchmark
// shows it pays, hand-written assembly for AVX2+FMA on amd64 and NEON on
// arm64.
//
// The implementation is chosen once at start-up from the CPU features
// (golang.org/x/sys/cpu) and can be forced with DIFFUSEQ_KERNELS=generic|avx2
// |neon or the purego build tag. Impl reports the choice.
//
// Each kernel is a file family (dot.go, dot_generic.go, dot_amd64.{go,s},
// dot_arm64.{go,s}, dot_other.go, dot_test.go, ...). Every export's doc
// comment gives its reference loop and its accuracy contract, which the
// tests check on every level in Available(). Assembly never runs unbounded:
// the Go wrappers feed it chunks of at most 4096 elements. Algorithms,
// contracts and the NEON WORD encodings are described in docs/kernels.md.
//
// The API is meant for the ops package and for readers; it may change.
package asm
