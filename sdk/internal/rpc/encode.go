package rpc

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"time"
)

// ErrUnsupportedValue means a request parameter has a Go type the encoder
// does not know: it takes the plain values of Unmarshal (and int, uint and
// float32 kinds, []string, map[string]string), never structs or pointers.
var ErrUnsupportedValue = errors.New("rpc: a value of this Go type cannot be sent")

// encodeError says where in a value the encoder gave up.
type encodeError struct {
	path   string // e.g. [0]["variables"]["age"]
	reason string
	err    error
}

func (e *encodeError) Error() string { return "rpc: cannot encode " + e.path + ": " + e.reason }
func (e *encodeError) Unwrap() error { return e.err }

func unsupported(reason string) error {
	return &encodeError{reason: reason, err: ErrUnsupportedValue}
}

// within prefixes the path of an error raised inside a container.
func within(err error, step string) error {
	if ee, ok := err.(*encodeError); ok {
		ee.path = step + ee.path
	}
	return err
}

// Marshal encodes v as CBOR with SurrealDB's conventions: map keys in
// sorted order, time.Time as tag 12 [seconds, nanoseconds] (the server's
// own form), nil slices and maps and the zero time as null.
func Marshal(v any) ([]byte, error) {
	b, err := appendValue(nil, v, 0)
	if err != nil {
		return nil, within(err, "value")
	}
	return b, nil
}

// encodeRequest writes {id, method, params} in that order, as the old
// struct-based encoder did: the wire bytes are unchanged.
func encodeRequest(id, method string, params []any) ([]byte, error) {
	return encodeRequestIn(id, method, params, nil)
}

// encodeRequestIn is encodeRequest for the server session session (nil:
// the connection's own): {id, method, params, session}, the session as
// tag 37 over its 16 bytes (docs/protocol.md#sessions).
func encodeRequestIn(id, method string, params []any, session *UUID) ([]byte, error) {
	b := make([]byte, 0, 64+16*len(params)+27)
	if session == nil {
		b = append(b, 0xa3)
	} else {
		b = append(b, 0xa4)
	}
	b = append(b, 0x62, 'i', 'd')
	b = appendText(b, id)
	b = append(b, 0x66, 'm', 'e', 't', 'h', 'o', 'd')
	b = appendText(b, method)
	b = append(b, 0x66, 'p', 'a', 'r', 'a', 'm', 's')
	b = appendHead(b, majorArray, uint64(len(params)))
	for i, p := range params {
		var err error
		if b, err = appendValue(b, p, 1); err != nil {
			return nil, within(err, "params["+strconv.Itoa(i)+"]")
		}
	}
	if session != nil {
		b = append(b, 0x67, 's', 'e', 's', 's', 'i', 'o', 'n')
		b = append(appendHead(b, majorTag, tagUUID), 0x50)
		b = append(b, session[:]...)
	}
	return b, nil
}

func appendText(b []byte, s string) []byte {
	return append(appendHead(b, majorText, uint64(len(s))), s...)
}

func appendInt(b []byte, n int64) []byte {
	if n < 0 {
		return appendHead(b, majorNint, uint64(-1-n))
	}
	return appendHead(b, majorUint, uint64(n))
}

// maxEncodeDepth bounds the nesting of what is encoded, so that a value
// that refers to itself is refused rather than followed forever. It is
// twice the decoder's limit: a decoded value may hold a tag between every
// two levels the decoder counts.
const maxEncodeDepth = 2*maxDepth + 2

// appendValue encodes one value at nesting depth depth.
func appendValue(b []byte, v any, depth int) ([]byte, error) {
	if depth > maxEncodeDepth {
		return b, unsupported("nested more than " + strconv.Itoa(maxEncodeDepth) + " levels (or refers to itself)")
	}
	switch x := v.(type) {
	case nil:
		return append(b, 0xf6), nil
	case bool:
		if x {
			return append(b, 0xf5), nil
		}
		return append(b, 0xf4), nil
	case string:
		return appendText(b, x), nil
	case int64:
		return appendInt(b, x), nil
	case int:
		return appendInt(b, int64(x)), nil
	case float64:
		return appendFloat(b, x, false), nil
	case []any:
		return appendArray(b, x, depth)
	case map[string]any:
		return appendMap(b, x, depth)
	case []byte:
		if x == nil {
			return append(b, 0xf6), nil
		}
		return append(appendHead(b, majorBytes, uint64(len(x))), x...), nil
	}
	if b2, ok := appendNumber(b, v); ok {
		return b2, nil
	}
	return appendSurreal(b, v, depth)
}

// appendNumber encodes the remaining integer kinds and float32.
func appendNumber(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case int8:
		return appendInt(b, int64(x)), true
	case int16:
		return appendInt(b, int64(x)), true
	case int32:
		return appendInt(b, int64(x)), true
	case uint:
		return appendHead(b, majorUint, uint64(x)), true
	case uint8:
		return appendHead(b, majorUint, uint64(x)), true
	case uint16:
		return appendHead(b, majorUint, uint64(x)), true
	case uint32:
		return appendHead(b, majorUint, uint64(x)), true
	case uint64:
		return appendHead(b, majorUint, x), true
	case float32:
		return appendFloat(b, float64(x), true), true
	}
	return b, false
}

// appendFloat keeps the width it was given; NaN and the infinities take
// the two-byte form, as fxamacker/cbor's defaults wrote them.
func appendFloat(b []byte, f float64, single bool) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, 0xf9, 0x7e, 0x00)
	case math.IsInf(f, 1):
		return append(b, 0xf9, 0x7c, 0x00)
	case math.IsInf(f, -1):
		return append(b, 0xf9, 0xfc, 0x00)
	case single:
		n := math.Float32bits(float32(f))
		return append(b, 0xfa, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return appendUint64(append(b, 0xfb), math.Float64bits(f))
}

func appendArray(b []byte, a []any, depth int) ([]byte, error) {
	if a == nil {
		return append(b, 0xf6), nil
	}
	b = appendHead(b, majorArray, uint64(len(a)))
	for i, e := range a {
		var err error
		if b, err = appendValue(b, e, depth+1); err != nil {
			return b, within(err, "["+strconv.Itoa(i)+"]")
		}
	}
	return b, nil
}

// sortedKeys lists a map's keys in Go's string order into buf, so that one
// value always encodes to the same bytes. Request maps are small: an
// insertion sort on the stack beats a general sort there.
func sortedKeys[V any](buf []string, m map[string]V) []string {
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	if len(keys) > 16 {
		slices.Sort(keys)
		return keys
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func appendMap(b []byte, m map[string]any, depth int) ([]byte, error) {
	if m == nil {
		return append(b, 0xf6), nil
	}
	b = appendHead(b, majorMap, uint64(len(m)))
	var buf [16]string
	for _, k := range sortedKeys(buf[:], m) {
		b = appendText(b, k)
		var err error
		if b, err = appendValue(b, m[k], depth+1); err != nil {
			return b, within(err, "["+strconv.Quote(k)+"]")
		}
	}
	return b, nil
}

// appendSurreal encodes SurrealDB's types and the less common containers.
func appendSurreal(b []byte, v any, depth int) ([]byte, error) {
	switch x := v.(type) {
	case None:
		return append(b, 0xc6, 0xf6), nil
	case Table:
		return appendText(appendHead(b, majorTag, tagTable), string(x)), nil
	case Decimal:
		return appendText(appendHead(b, majorTag, tagDecimalText), string(x)), nil
	case UUID:
		return append(appendHead(b, majorTag, tagUUID), append([]byte{0x50}, x[:]...)...), nil
	case RecordID:
		b = append(appendHead(b, majorTag, tagRecordID), 0x82)
		b = appendText(b, x.Table)
		return appendValue(b, x.ID, depth+1)
	case Duration:
		if x < 0 {
			return b, unsupported("a negative duration (SurrealDB's are never negative)")
		}
		d := int64(x)
		b = append(appendHead(b, majorTag, tagDuration), 0x82)
		return appendInt(appendInt(b, d/int64(time.Second)), d%int64(time.Second)), nil
	case time.Time:
		if x.IsZero() {
			return append(b, 0xf6), nil
		}
		b = append(appendHead(b, majorTag, tagDatetime), 0x82)
		return appendInt(appendInt(b, x.Unix()), int64(x.Nanosecond())), nil
	case Tag:
		return appendValue(appendHead(b, majorTag, x.Number), x.Content, depth+1)
	case BigInt:
		return appendBigInt(b, x), nil
	case []string:
		return appendStrings(b, x), nil
	case map[string]string:
		if x == nil {
			return append(b, 0xf6), nil
		}
		b = appendHead(b, majorMap, uint64(len(x)))
		var buf [16]string
		for _, k := range sortedKeys(buf[:], x) {
			b = appendText(appendText(b, k), x[k])
		}
		return b, nil
	}
	return b, unsupported("unsupported Go type")
}

func appendStrings(b []byte, a []string) []byte {
	if a == nil {
		return append(b, 0xf6)
	}
	b = appendHead(b, majorArray, uint64(len(a)))
	for _, s := range a {
		b = appendText(b, s)
	}
	return b
}

// appendBigInt writes an integer in the shortest form: a plain integer when
// it fits 64 bits, else a bignum (tag 2, or tag 3 over -1-n).
func appendBigInt(b []byte, x BigInt) []byte {
	mag := trimZeros(x.Abs)
	if !x.Neg || len(mag) == 0 {
		if n, ok := fitsUint64(mag); ok {
			return appendHead(b, majorUint, n)
		}
		return append(appendHead(appendHead(b, majorTag, tagUnsignedBig), majorBytes, uint64(len(mag))), mag...)
	}
	m := subOne(mag)
	if n, ok := fitsUint64(m); ok {
		return appendHead(b, majorNint, n)
	}
	return append(appendHead(appendHead(b, majorTag, tagNegativeBig), majorBytes, uint64(len(m))), m...)
}
