package rpc

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// SurrealDB's CBOR tags (PROTOCOL.md §1.5). Only the ones an auth client meets
// get Go types; every other tag decodes to cbor.Tag and survives untouched.
const (
	tagDatetimeText = 0
	tagNone         = 6
	tagTable        = 7
	tagRecordID     = 8
	tagUUIDText     = 9
	tagDecimalText  = 10
	tagDatetime     = 12
	tagDurationText = 13
	tagDuration     = 14
	tagUUID         = 37
)

// None is SurrealQL's NONE (tag 6), which is not the same as null: a field that
// is NONE does not exist, a field that is null exists and is empty.
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

// String renders the id as SurrealQL text, "user:abc". Keys that are not plain
// identifiers are escaped with backticks, as the server does in the ID claim.
func (r RecordID) String() string {
	return escapeIdent(r.Table) + ":" + keyString(r.ID)
}

func keyString(k any) string {
	switch v := k.(type) {
	case string:
		return escapeIdent(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case UUID:
		return "u'" + v.String() + "'"
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

func escapeIdent(s string) string {
	if s == "" {
		return "``"
	}
	plain, digits := true, true
	for _, r := range s {
		if r > unicode.MaxASCII || !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			plain = false
		}
		if !unicode.IsDigit(r) {
			digits = false
		}
	}
	if plain && !digits {
		return s
	}
	return "`" + strings.ReplaceAll(s, "`", "\\`") + "`"
}

// UUID is a 16-byte UUID (tag 37).
type UUID [16]byte

func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// ParseUUID reads the canonical 36-character form.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, errors.New("rpc: malformed uuid")
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(u[:], []byte(h)); err != nil {
		return u, errors.New("rpc: malformed uuid")
	}
	return u, nil
}

// Decimal is an arbitrary-precision decimal kept as its text (tag 10).
type Decimal string

// Duration is a SurrealQL duration (tag 14 or 13).
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }
