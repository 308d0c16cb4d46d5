// The AVX2+FMA vectorised exponential (#include after "vec_amd64.h").
//
// EXP_AVX2(V, N, T) replaces each lane of V with e^V; N and T are
// clobbered. Algorithm (Cephes expf with FMA):
//   1. clamp x to [-104, 89] (NaN kept: x is the second source of
//      VMINPS/VMAXPS, which return it when unordered);
//   2. n = round(x·log₂e); r = x - n·ln2hi - n·ln2lo (Cody-Waite, FMA),
//      |r| ≤ ½ln2;
//   3. e^r = 1 + r·(1 + r·P(r)) with the degree-5 minimax P of Cephes expf;
//   4. multiply by 2^h·2^(n-h), h = n>>1, each factor a normal float, so
//      results down into the subnormals (n ≥ -150) and overflow to +Inf
//      (n = 128) come out of one final rounding.
// Accuracy: ≤ 2 ulp against the correctly rounded e^x (see exp_test.go).

VCONST(expHi, 0x42b20000)      // 89.0
VCONST(expLo, 0xc2d00000)      // -104.0
VCONST(expLog2e, 0x3fb8aa3b)   // log₂e = 1.44269504
VCONST(expLn2Hi, 0x3f318000)   // 0.693359375 (few bits: n·ln2Hi exact)
VCONST(expLn2Lo, 0xb95e8083)   // -2.12194440e-4 = ln2 - ln2Hi
VCONST(expP0, 0x39506967)      // 1.9875691500e-4
VCONST(expP1, 0x3ab743ce)      // 1.3981999507e-3
VCONST(expP2, 0x3c088908)      // 8.3334519073e-3
VCONST(expP3, 0x3d2aa9c1)      // 4.1665795894e-2
VCONST(expP4, 0x3e2aaaaa)      // 1.6666665459e-1
VCONST(expP5, 0x3f000000)      // 5.0000001201e-1 (rounds to 0.5)
VCONST(expOne, 0x3f800000)     // 1.0
VCONST(expBias, 0x0000007f)    // int32 127, the float exponent bias

// Step by step (registers as in the macro):
//   VMOVUPS      expHi<>(SB), T          T = 89
//   VMINPS       V, T, V                 x = min(x, 89), NaN stays
//   VMAXPS       V, T, V                 x = max(x, -104), NaN stays
//   VMULPS       expLog2e<>(SB), V, N    x·log₂e
//   VROUNDPS     $0, N, N                n, to nearest even
//   VFNMADD231PS expLn2Hi<>(SB), N, V    r = x - n·ln2hi
//   VFNMADD231PS expLn2Lo<>(SB), N, V    r -= n·ln2lo
//   VMOVUPS      expP0<>(SB), T          Horner: T = P(r)
//   VFMADD213PS  expOne<>(SB), V, T      1 + r·P
//   VFMADD213PS  expOne<>(SB), V, T      e^r = 1 + r·(1 + r·P)
//   VCVTPS2DQ    N, N                    n as int32 (exact)
//   VPSRAD       $1, N, V                h = n>>1
//   VPSUBD       V, N, N                 n-h
//   VPSLLD       $23, V, V               2^h
//   VPSLLD       $23, N, N               2^(n-h)
//   VMULPS       V, T, T                 e^r·2^h (exact)
//   VMULPS       N, T, V                 e^x = e^r·2^h·2^(n-h), one rounding
#define EXP_AVX2(V, N, T) \
	VMOVUPS      expHi<>(SB), T ; \
	VMINPS       V, T, V ; \
	VMOVUPS      expLo<>(SB), T ; \
	VMAXPS       V, T, V ; \
	VMULPS       expLog2e<>(SB), V, N ; \
	VROUNDPS     $0, N, N ; \
	VFNMADD231PS expLn2Hi<>(SB), N, V ; \
	VFNMADD231PS expLn2Lo<>(SB), N, V ; \
	VMOVUPS      expP0<>(SB), T ; \
	VFMADD213PS  expP1<>(SB), V, T ; \
	VFMADD213PS  expP2<>(SB), V, T ; \
	VFMADD213PS  expP3<>(SB), V, T ; \
	VFMADD213PS  expP4<>(SB), V, T ; \
	VFMADD213PS  expP5<>(SB), V, T ; \
	VFMADD213PS  expOne<>(SB), V, T ; \
	VFMADD213PS  expOne<>(SB), V, T ; \
	VCVTPS2DQ    N, N ; \
	VPSRAD       $1, N, V ; \
	VPSUBD       V, N, N ; \
	VPADDD       expBias<>(SB), V, V ; \
	VPSLLD       $23, V, V ; \
	VPADDD       expBias<>(SB), N, N ; \
	VPSLLD       $23, N, N ; \
	VMULPS       V, T, T ; \
	VMULPS       N, T, V
