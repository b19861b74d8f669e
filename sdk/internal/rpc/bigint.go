package rpc

import (
	"math"
	"strconv"
)

// BigInt is an integer outside int64: a CBOR integer above MaxInt64 or below
// MinInt64, or a bignum (tags 2 and 3) that does not fit int64. Its value is
// -Abs when Neg, else Abs; Abs is big-endian without leading zeros.
// SurrealDB's own integers are 64-bit, so an auth client meets these only
// from a non-SurrealDB peer; the type keeps math/big out of the browser
// build.
type BigInt struct {
	Neg bool
	Abs []byte
}

// String is the value in decimal, e.g. "-18446744073709551616".
func (b BigInt) String() string {
	mag := trimZeros(b.Abs)
	if len(mag) == 0 {
		return "0"
	}
	work := append([]byte(nil), mag...)
	var chunks []uint32 // base 1e9, least significant first
	for len(work) > 0 {
		var rem uint64
		for i, x := range work {
			cur := rem<<8 | uint64(x)
			work[i] = byte(cur / 1e9) // cur < 256e9, so the quotient fits a byte
			rem = cur % 1e9
		}
		chunks = append(chunks, uint32(rem))
		work = trimZeros(work)
	}
	out := make([]byte, 0, 1+9*len(chunks))
	if b.Neg {
		out = append(out, '-')
	}
	out = strconv.AppendUint(out, uint64(chunks[len(chunks)-1]), 10)
	for i := len(chunks) - 2; i >= 0; i-- {
		var d [9]byte
		c := chunks[i]
		for j := 8; j >= 0; j-- {
			d[j] = byte('0' + c%10)
			c /= 10
		}
		out = append(out, d[:]...)
	}
	return string(out)
}

// small is b as an int64 when it fits.
func (b BigInt) small() any {
	n, ok := fitsUint64(trimZeros(b.Abs))
	switch {
	case !ok:
	case !b.Neg && n <= math.MaxInt64:
		return int64(n)
	case b.Neg && n <= 1<<63:
		return int64(-n) // -(1<<63) wraps to MinInt64, as it should
	}
	return b
}

func trimZeros(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

// uint64Bytes is n big-endian without leading zeros.
func uint64Bytes(n uint64) []byte {
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = byte(n)
		n >>= 8
	}
	return append([]byte(nil), trimZeros(b[:])...)
}

// addOne returns b+1 (a new slice): CBOR writes a negative n as -1-m.
func addOne(b []byte) []byte {
	out := make([]byte, len(b)+1)
	copy(out[1:], b)
	for i := len(out) - 1; i >= 0; i-- {
		out[i]++
		if out[i] != 0 {
			break
		}
	}
	return trimZeros(out)
}

// subOne returns b-1 for b > 0 (a new slice).
func subOne(b []byte) []byte {
	out := append([]byte(nil), b...)
	for i := len(out) - 1; i >= 0; i-- {
		out[i]--
		if out[i] != 0xff {
			break
		}
	}
	return trimZeros(out)
}

// fitsUint64 reports whether a trimmed magnitude fits 64 bits, and its value.
func fitsUint64(b []byte) (uint64, bool) {
	if len(b) > 8 {
		return 0, false
	}
	var n uint64
	for _, x := range b {
		n = n<<8 | uint64(x)
	}
	return n, true
}
