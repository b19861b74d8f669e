package rpc

import (
	"errors"
	"time"
)

// SurrealDB's CBOR tags (see docs/protocol.md#cbor-tags). The ones an auth
// client meets get Go types; every other tag decodes to Tag and survives
// untouched.
const (
	tagDatetimeText = 0
	tagUnsignedBig  = 2
	tagNegativeBig  = 3
	tagNone         = 6
	tagTable        = 7
	tagRecordID     = 8
	tagUUIDText     = 9
	tagDecimalText  = 10
	tagDatetime     = 12
	tagDurationText = 13
	tagDuration     = 14
	tagUUID         = 37
	tagSelfDescribe = 55799 // "this is CBOR": skipped where a value is read, as RFC 8949 §3.4.6 allows
)

// None is SurrealQL's NONE (tag 6), which is not the same as null: a field that
// is NONE does not exist, a field that is null exists and is empty. Null
// decodes to nil.
type None struct{}

func (None) String() string { return "NONE" }

// Table is a table name (tag 7).
type Table string

// RecordID is a record id (tag 8): a table and a key that may be a number, a
// string, an array, an object or a UUID.
type RecordID struct {
	Table string
	ID    any
}

// UUID is a 16-byte UUID (tag 37; tag 9, its text form, decodes to it too).
type UUID [16]byte

const hexDigits = "0123456789abcdef"

func (u UUID) String() string {
	var b [36]byte
	j := 0
	for i, x := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b[j] = '-'
			j++
		}
		b[j], b[j+1] = hexDigits[x>>4], hexDigits[x&0xf]
		j += 2
	}
	return string(b[:])
}

var errMalformedUUID = errors.New("rpc: malformed uuid")

// ParseUUID reads the canonical 36-character form, in either case.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 {
		return u, errMalformedUUID
	}
	j := 0
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return u, errMalformedUUID
			}
			i++
			continue
		}
		hi, ok1 := unhex(s[i])
		lo, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 {
			return u, errMalformedUUID
		}
		u[j] = hi<<4 | lo
		i, j = i+2, j+1
	}
	return u, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Decimal is an arbitrary-precision decimal kept as its text (tag 10).
type Decimal string

// Duration is a SurrealQL duration (tag 14). SurrealDB's durations are never
// negative; one beyond time.Duration's range (about 292 years) is refused
// when decoded rather than wrapped.
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

// Tag is a CBOR tag this package gives no Go type (geometries 88–94, ranges
// 49–51, files 55, …): its number and its decoded content. It encodes back
// to the same tag.
type Tag struct {
	Number  uint64
	Content any
}
