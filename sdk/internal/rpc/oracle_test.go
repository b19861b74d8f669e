package rpc

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// The oracle: the codec this package used before its own, fxamacker/cbor
// configured as it was, kept for differential tests, fuzzing and
// benchmarks. Its MarshalCBOR methods exist only in test builds.

var (
	decMode cbor.DecMode
	encMode cbor.EncMode
)

// oldRequest is the request the old encoder wrote.
type oldRequest struct {
	ID     string `cbor:"id"`
	Method string `cbor:"method"`
	Params []any  `cbor:"params"`
}

// oldResponse is how the old read loop decoded a frame.
type oldResponse struct {
	ID     any             `cbor:"id"`
	Result cbor.RawMessage `cbor:"result"`
	Error  *oldServerError `cbor:"error"`
}

type oldServerError struct {
	Code    int64  `cbor:"code"`
	Message string `cbor:"message"`
	Kind    string `cbor:"kind"`
	Details any    `cbor:"details"`
	Cause   any    `cbor:"cause"`
}

func init() {
	var err error
	decMode, err = cbor.DecOptions{
		DefaultMapType:        reflect.TypeOf(map[string]any(nil)),
		IntDec:                cbor.IntDecConvertSignedOrBigInt,
		MaxNestedLevels:       64,
		MaxArrayElements:      1 << 20,
		MaxMapPairs:           1 << 20,
		UTF8:                  cbor.UTF8RejectInvalid,
		DupMapKey:             cbor.DupMapKeyEnforcedAPF,
		IndefLength:           cbor.IndefLengthAllowed,
		TagsMd:                cbor.TagsAllowed,
		DefaultByteStringType: reflect.TypeOf([]byte(nil)),
	}.DecMode()
	if err != nil {
		panic(err)
	}
	encMode, err = cbor.EncOptions{
		Time:    cbor.TimeRFC3339Nano,
		TimeTag: cbor.EncTagRequired,
	}.EncMode()
	if err != nil {
		panic(err)
	}
}

// oldMarshal is the old Marshal.
func oldMarshal(v any) ([]byte, error) { return encMode.Marshal(v) }

// oldUnmarshal is the old Unmarshal.
func oldUnmarshal(data []byte) (any, error) {
	var v any
	if err := decMode.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return oldFromWire(v)
}

// MarshalCBOR encodes NONE as tag 6 over null.
func (None) MarshalCBOR() ([]byte, error) { return []byte{0xc6, 0xf6}, nil }

// MarshalCBOR encodes a table name as tag 7.
func (t Table) MarshalCBOR() ([]byte, error) {
	return encMode.Marshal(cbor.Tag{Number: tagTable, Content: string(t)})
}

// MarshalCBOR encodes a record id as tag 8 over [table, key].
func (r RecordID) MarshalCBOR() ([]byte, error) {
	return encMode.Marshal(cbor.Tag{Number: tagRecordID, Content: []any{r.Table, r.ID}})
}

// MarshalCBOR encodes a UUID as tag 37 over its 16 bytes.
func (u UUID) MarshalCBOR() ([]byte, error) {
	return encMode.Marshal(cbor.Tag{Number: tagUUID, Content: u[:]})
}

// MarshalCBOR encodes a decimal as tag 10 over its text.
func (d Decimal) MarshalCBOR() ([]byte, error) {
	return encMode.Marshal(cbor.Tag{Number: tagDecimalText, Content: string(d)})
}

// MarshalCBOR encodes a duration as tag 14 over [seconds, nanoseconds].
func (d Duration) MarshalCBOR() ([]byte, error) {
	secs, nanos := int64(d)/int64(time.Second), int64(d)%int64(time.Second)
	return encMode.Marshal(cbor.Tag{Number: tagDuration, Content: []int64{secs, nanos}})
}

func oldFromWire(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			c, err := oldFromWire(e)
			if err != nil {
				return nil, err
			}
			x[k] = c
		}
		return x, nil
	case []any:
		for i, e := range x {
			c, err := oldFromWire(e)
			if err != nil {
				return nil, err
			}
			x[i] = c
		}
		return x, nil
	case cbor.Tag:
		return oldFromTag(x)
	default:
		return v, nil
	}
}

func oldFromTag(t cbor.Tag) (any, error) {
	content, err := oldFromWire(t.Content)
	if err != nil {
		return nil, err
	}
	switch t.Number {
	case tagNone:
		return None{}, nil
	case tagTable:
		s, ok := content.(string)
		if !ok {
			return nil, oldTagError(t.Number, "text")
		}
		return Table(s), nil
	case tagRecordID:
		return oldRecordFromWire(content)
	case tagUUID:
		b, ok := content.([]byte)
		if !ok || len(b) != 16 {
			return nil, oldTagError(t.Number, "16 bytes")
		}
		return UUID(b), nil
	case tagUUIDText:
		s, _ := content.(string)
		u, err := ParseUUID(s)
		if err != nil {
			return nil, oldTagError(t.Number, "uuid text")
		}
		return u, nil
	case tagDecimalText:
		s, ok := content.(string)
		if !ok {
			return nil, oldTagError(t.Number, "text")
		}
		return Decimal(s), nil
	case tagDatetime:
		return oldDatetimeFromWire(content)
	case tagDatetimeText:
		s, _ := content.(string)
		ts, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, oldTagError(t.Number, "RFC 3339 text")
		}
		return ts, nil
	case tagDuration:
		return oldDurationFromWire(content)
	case tagDurationText:
		s, ok := content.(string)
		if !ok {
			return nil, oldTagError(t.Number, "text")
		}
		return s, nil // kept as text: SurrealQL durations ("1w2d") are not Go's syntax
	default:
		return cbor.Tag{Number: t.Number, Content: content}, nil
	}
}

func oldRecordFromWire(content any) (any, error) {
	if s, ok := content.(string); ok {
		for i := 0; i < len(s); i++ {
			if s[i] == ':' {
				return RecordID{Table: s[:i], ID: s[i+1:]}, nil
			}
		}
		return nil, oldTagError(tagRecordID, "\"table:id\" text")
	}
	arr, ok := content.([]any)
	if !ok || len(arr) != 2 {
		return nil, oldTagError(tagRecordID, "[table, key]")
	}
	tb, ok := arr[0].(string)
	if !ok {
		return nil, oldTagError(tagRecordID, "a text table name")
	}
	return RecordID{Table: tb, ID: arr[1]}, nil
}

func oldDatetimeFromWire(content any) (any, error) {
	arr, ok := content.([]any)
	if !ok || len(arr) > 2 {
		return nil, oldTagError(tagDatetime, "[seconds, nanoseconds]")
	}
	parts, err := oldIntParts(arr)
	if err != nil {
		return nil, oldTagError(tagDatetime, "integers")
	}
	return time.Unix(parts[0], parts[1]).UTC(), nil
}

func oldDurationFromWire(content any) (any, error) {
	arr, ok := content.([]any)
	if !ok || len(arr) > 2 {
		return nil, oldTagError(tagDuration, "[seconds, nanoseconds]")
	}
	parts, err := oldIntParts(arr)
	if err != nil || parts[0] > math.MaxInt64/int64(time.Second) {
		return nil, oldTagError(tagDuration, "integers in range")
	}
	return Duration(parts[0]*int64(time.Second) + parts[1]), nil
}

// intParts reads up to two integers, missing ones being zero.
func oldIntParts(arr []any) ([2]int64, error) {
	var out [2]int64
	for i, e := range arr {
		n, ok := e.(int64)
		if !ok {
			return out, errors.New("not an int64")
		}
		out[i] = n
	}
	return out, nil
}

func oldTagError(n uint64, want string) error {
	return fmt.Errorf("rpc: cbor tag %d: expected %s", n, want)
}
