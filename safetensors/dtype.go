package safetensors

import (
	"encoding/binary"
	"fmt"
	"math"
)

// dtypeSize maps each safetensors dtype name to its element size in bytes.
// All names the format defines are accepted when reading, so a file with
// an exotic tensor still opens; conversions exist only for the common ones.
var dtypeSize = map[string]int{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// DTypeSize returns the element size of dtype in bytes and whether the
// dtype is known.
func DTypeSize(dtype string) (int, bool) {
	n, ok := dtypeSize[dtype]
	return n, ok
}

// Float16ToFloat32 widens an IEEE 754 binary16 value exactly
// (subnormals, infinities and NaN included).
func Float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN: keep the payload's top bits
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp != 0: // normal: rebias 15 → 127
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	case mant == 0: // ±0
		return math.Float32frombits(sign)
	default: // subnormal: mant × 2^-24, exact in float32
		f := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			f = -f
		}
		return f
	}
}

// Float32ToFloat16 rounds f to the nearest binary16 (ties to even),
// overflowing to ±Inf. Used by tests and by writers of F16 tensors.
func Float32ToFloat16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int((b >> 23) & 0xff)
	mant := b & 0x7fffff
	if exp == 0xff { // Inf / NaN
		if mant != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 { // subnormal or zero in half precision
		if e < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint(14 - e)
		half := uint32(1) << (shift - 1)
		r := mant >> shift
		rem := mant & (1<<shift - 1)
		if rem > half || (rem == half && r&1 == 1) {
			r++
		}
		return sign | uint16(r)
	}
	r := uint32(e)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && r&1 == 1) {
		r++ // may carry into the exponent, which is the correct rounding
	}
	return sign | uint16(r)
}

// BFloat16ToFloat32 widens a bfloat16 (the top half of a float32) exactly.
func BFloat16ToFloat32(h uint16) float32 {
	return math.Float32frombits(uint32(h) << 16)
}

// DecodeFloat32 converts raw little-endian bytes of dtype (F32, F16 or
// BF16) into float32. A trailing partial element is ignored.
func DecodeFloat32(dtype string, b []byte) ([]float32, error) {
	le := binary.LittleEndian
	switch dtype {
	case "F32":
		out := make([]float32, len(b)/4)
		for i := range out {
			out[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		return out, nil
	case "F16":
		out := make([]float32, len(b)/2)
		for i := range out {
			out[i] = Float16ToFloat32(le.Uint16(b[2*i:]))
		}
		return out, nil
	case "BF16":
		out := make([]float32, len(b)/2)
		for i := range out {
			out[i] = BFloat16ToFloat32(le.Uint16(b[2*i:]))
		}
		return out, nil
	}
	return nil, fmt.Errorf("dtype %s does not convert to float32 (want F32, F16 or BF16)", dtype)
}

// DecodeFloat64 converts raw little-endian bytes of dtype (F64, or F32,
// F16, BF16 widened exactly) into float64.
func DecodeFloat64(dtype string, b []byte) ([]float64, error) {
	le := binary.LittleEndian
	if dtype == "F64" {
		out := make([]float64, len(b)/8)
		for i := range out {
			out[i] = math.Float64frombits(le.Uint64(b[8*i:]))
		}
		return out, nil
	}
	f32, err := DecodeFloat32(dtype, b)
	if err != nil {
		return nil, fmt.Errorf("dtype %s does not convert to float64 (want F64, F32, F16 or BF16)", dtype)
	}
	out := make([]float64, len(f32))
	for i, v := range f32 {
		out[i] = float64(v)
	}
	return out, nil
}

// DecodeInt64 converts raw little-endian integer or BOOL bytes of dtype
// into int64.
// U64 values above MaxInt64 are an error rather than a silent wrap.
func DecodeInt64(dtype string, b []byte) ([]int64, error) {
	le := binary.LittleEndian
	switch dtype {
	case "I64", "U64", "I32", "U32", "I16", "U16", "I8", "U8", "BOOL":
	default:
		return nil, fmt.Errorf("dtype %s does not convert to int64 (want an integer or BOOL dtype)", dtype)
	}
	size := dtypeSize[dtype]
	out := make([]int64, len(b)/size)
	for i := range out {
		p := b[i*size:]
		switch dtype {
		case "I64":
			out[i] = int64(le.Uint64(p))
		case "U64":
			u := le.Uint64(p)
			if u > math.MaxInt64 {
				return nil, fmt.Errorf("U64 element %d = %d overflows int64", i, u)
			}
			out[i] = int64(u)
		case "I32":
			out[i] = int64(int32(le.Uint32(p)))
		case "U32":
			out[i] = int64(le.Uint32(p))
		case "I16":
			out[i] = int64(int16(le.Uint16(p)))
		case "U16":
			out[i] = int64(le.Uint16(p))
		case "I8":
			out[i] = int64(int8(p[0]))
		default: // U8, BOOL
			out[i] = int64(p[0])
		}
	}
	return out, nil
}
