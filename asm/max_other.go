//go:build (!amd64 && !arm64) || purego

package asm

var _ = bind(func(Level) { maxf = maxGeneric })
