// Package torchpt reads PyTorch checkpoints written by torch.save in the
// zip format (the default since PyTorch 1.6), such as the model_*.pt and
// ema_*.pt state dicts of the official DiffuSeq code, without Python.
//
// A .pt file is a zip archive (entries stored, not compressed):
//
//	<prefix>/data.pkl      a pickle describing the object graph
//	<prefix>/data/<key>    raw little-endian bytes of each storage
//	<prefix>/version       serialization format version
//	<prefix>/byteorder     "little" or "big" (PyTorch ≥ 2.1 only)
//
// Pickle is a program for a stack machine, and Python's unpickler will
// call any importable function the program names: loading an untrusted
// .pt with torch.load (weights_only=False) can run arbitrary code. This
// package therefore runs its own small pickle machine that implements
// only the opcodes torch.save emits for a state dict, and resolves only an
// allowlist of globals (collections.OrderedDict, the torch storage types,
// torch._utils._rebuild_tensor_v2 and _rebuild_parameter). Any other
// global is refused with an error naming it; nothing is ever executed.
//
// The reader treats the file as hostile: every length is checked against
// the bytes that remain, the memo, stack and mark stack are capped, each
// opcode consumes input so the machine always halts, tensor views are
// checked to stay inside their storage, and the bytes produced are capped
// relative to the file size (see maxOutput).
package torchpt
