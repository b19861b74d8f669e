package rpc

import (
	"errors"
	"strconv"
)

// The codec is hand-written for exactly the shapes SurrealDB's RPC uses
// (RFC 8949, see docs/protocol.md#cbor-tags): it needs neither reflect nor
// fmt, which keeps the browser build small, and it decodes every reply in
// two passes: scan.go checks the whole item and its cost without
// allocating, decode.go then builds plain Go values.

const (
	majorUint   = 0
	majorNint   = 1
	majorBytes  = 2
	majorText   = 3
	majorArray  = 4
	majorMap    = 5
	majorTag    = 6
	majorSimple = 7

	aiIndefinite = 31
	breakCode    = 0xff

	// maxDepth bounds nesting (arrays, maps, and tags directly inside tags),
	// counted as fxamacker/cbor counts it, so the recursion stays shallow.
	maxDepth = 64
)

var (
	errTruncated = errors.New("rpc: cbor: unexpected end of data")
	errSyntax    = errors.New("rpc: cbor: malformed data item")
	errTrailing  = errors.New("rpc: cbor: extra bytes after the data item")
	errDepth     = errors.New("rpc: cbor: nested more than " + strconv.Itoa(maxDepth) + " levels")
	errBudget    = errors.New("rpc: cbor: the message holds more than the decoder's budget")
	errUTF8      = errors.New("rpc: cbor: text is not valid UTF-8")
	errKey       = errors.New("rpc: cbor: a map key is not text")
	errDupKey    = errors.New("rpc: cbor: a map has a duplicate key")
	errSimple    = errors.New("rpc: cbor: a simple value other than false, true, null or undefined")
	errRange     = errors.New("rpc: cbor: a value outside the range SurrealDB and Go share")
)

// tagError says that a known tag had content of the wrong shape.
type tagError struct {
	num  uint64
	want string
	err  error // errRange for values out of range, else nil
}

func (e *tagError) Error() string {
	return "rpc: cbor tag " + strconv.FormatUint(e.num, 10) + ": expected " + e.want
}

func (e *tagError) Unwrap() error { return e.err }

// readHead reads the initial byte and argument of the item at pos. For
// indefinite lengths (and the break code) ai is 31 and arg 0.
func readHead(data []byte, pos int) (major, ai byte, arg uint64, next int, err error) {
	if pos >= len(data) {
		return 0, 0, 0, pos, errTruncated
	}
	ib := data[pos]
	major, ai = ib>>5, ib&0x1f
	pos++
	switch {
	case ai < 24:
		return major, ai, uint64(ai), pos, nil
	case ai <= 27:
		n := 1 << (ai - 24)
		if len(data)-pos < n {
			return 0, 0, 0, pos, errTruncated
		}
		for _, b := range data[pos : pos+n] {
			arg = arg<<8 | uint64(b)
		}
		if n == 1 && major == majorSimple && arg < 32 {
			return 0, 0, 0, pos, errSyntax // a simple value in two bytes must be ≥ 32
		}
		return major, ai, arg, pos + n, nil
	case ai == aiIndefinite:
		switch major {
		case majorBytes, majorText, majorArray, majorMap, majorSimple: // simple: the break code
			return major, ai, 0, pos, nil
		}
	}
	return 0, 0, 0, pos, errSyntax
}

// appendHead writes an item's initial byte and argument in the shortest form.
func appendHead(dst []byte, major byte, arg uint64) []byte {
	m := major << 5
	switch {
	case arg < 24:
		return append(dst, m|byte(arg))
	case arg <= 0xff:
		return append(dst, m|24, byte(arg))
	case arg <= 0xffff:
		return append(dst, m|25, byte(arg>>8), byte(arg))
	case arg <= 0xffffffff:
		return append(dst, m|26, byte(arg>>24), byte(arg>>16), byte(arg>>8), byte(arg))
	}
	return appendUint64(append(dst, m|27), arg)
}

func appendUint64(dst []byte, n uint64) []byte {
	return append(dst, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}
