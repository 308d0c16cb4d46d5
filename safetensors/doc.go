// Package safetensors reads and writes the safetensors checkpoint format,
// the one format every DiffuSeq-Go checkpoint is stored in.
//
// A safetensors file is
//
//	8 bytes   N, the header length, little-endian uint64
//	N bytes   a JSON object: name → {"dtype", "shape", "data_offsets": [begin, end]},
//	          plus an optional "__metadata__" object of string → string
//	rest      the tensor bytes, little-endian, row-major; data_offsets are
//	          relative to the start of this region
//
// We chose it over pickle-based .pt files because it needs no code
// execution to load, can be read lazily, and every ML stack reads it
// (see docs/checkpoints.md).
//
// The reader treats the file as hostile: the header length is checked
// against the file size and capped at MaxHeaderSize, every tensor's byte
// range must lie inside the data region, ranges may not overlap and must
// cover the region exactly (as the reference implementation requires),
// and shape × dtype size must equal the byte length, with overflow checks.
// Nothing is allocated from a size the header claims; only the real file
// size bounds memory.
//
// The writer is deterministic (names sorted, header padded with spaces to
// a multiple of 8 so the data region is 8-byte aligned) and crash-safe:
// it writes a temporary file in the target directory, fsyncs it, renames
// it over the target and fsyncs the directory.
package safetensors
