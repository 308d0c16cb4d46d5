package generate

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
)

// WeightsDigest is a SHA-256 over what decides a sample besides the
// options: every parameter (name, shape, values), the absorbing state m
// and the trained process's step count. A decode saved part-way records
// it, so it is never continued with other weights (say, after the run's
// checkpoint was overwritten by more training).
func (g *Generator) WeightsDigest() string {
	h := sha256.New()
	var buf []byte
	num := func(v uint64) { buf = binary.LittleEndian.AppendUint64(buf[:0], v); h.Write(buf) }
	floats := func(x []float32) {
		num(uint64(len(x)))
		buf = buf[:0]
		for _, v := range x {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) >= 1<<16 {
				h.Write(buf)
				buf = buf[:0]
			}
		}
		h.Write(buf)
	}
	for _, p := range g.model.Params() {
		h.Write([]byte(p.Name))
		for _, s := range p.Shape() {
			num(uint64(s))
		}
		floats(p.Data())
	}
	floats(g.meanEmbed)
	num(uint64(g.DiffusionSteps()))
	return hex.EncodeToString(h.Sum(nil))
}
