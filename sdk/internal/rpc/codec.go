package rpc

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// The codec decodes into plain Go values (map[string]any, []any, string,
// int64, float64, bool, nil) and then turns SurrealDB's tags into the types in
// values.go. Walking the tree once is simpler and easier to audit than
// registering tag types with the decoder, and the hot path (signin results:
// a string or a map of two strings) carries no tags at all.

var (
	decMode cbor.DecMode
	encMode cbor.EncMode
)

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

// Marshal encodes v as CBOR with SurrealDB's conventions.
func Marshal(v any) ([]byte, error) { return encMode.Marshal(v) }

// Unmarshal decodes CBOR into a plain Go value and converts SurrealDB tags.
func Unmarshal(data []byte) (any, error) {
	var v any
	if err := decMode.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return fromWire(v)
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

func fromWire(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			c, err := fromWire(e)
			if err != nil {
				return nil, err
			}
			x[k] = c
		}
		return x, nil
	case []any:
		for i, e := range x {
			c, err := fromWire(e)
			if err != nil {
				return nil, err
			}
			x[i] = c
		}
		return x, nil
	case cbor.Tag:
		return fromTag(x)
	default:
		return v, nil
	}
}

func fromTag(t cbor.Tag) (any, error) {
	content, err := fromWire(t.Content)
	if err != nil {
		return nil, err
	}
	switch t.Number {
	case tagNone:
		return None{}, nil
	case tagTable:
		s, ok := content.(string)
		if !ok {
			return nil, tagError(t.Number, "text")
		}
		return Table(s), nil
	case tagRecordID:
		return recordFromWire(content)
	case tagUUID:
		b, ok := content.([]byte)
		if !ok || len(b) != 16 {
			return nil, tagError(t.Number, "16 bytes")
		}
		return UUID(b), nil
	case tagUUIDText:
		s, _ := content.(string)
		u, err := ParseUUID(s)
		if err != nil {
			return nil, tagError(t.Number, "uuid text")
		}
		return u, nil
	case tagDecimalText:
		s, ok := content.(string)
		if !ok {
			return nil, tagError(t.Number, "text")
		}
		return Decimal(s), nil
	case tagDatetime:
		return datetimeFromWire(content)
	case tagDatetimeText:
		s, _ := content.(string)
		ts, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, tagError(t.Number, "RFC 3339 text")
		}
		return ts, nil
	case tagDuration:
		return durationFromWire(content)
	case tagDurationText:
		s, ok := content.(string)
		if !ok {
			return nil, tagError(t.Number, "text")
		}
		return s, nil // kept as text: SurrealQL durations ("1w2d") are not Go's syntax
	default:
		return cbor.Tag{Number: t.Number, Content: content}, nil
	}
}

func recordFromWire(content any) (any, error) {
	if s, ok := content.(string); ok {
		for i := 0; i < len(s); i++ {
			if s[i] == ':' {
				return RecordID{Table: s[:i], ID: s[i+1:]}, nil
			}
		}
		return nil, tagError(tagRecordID, "\"table:id\" text")
	}
	arr, ok := content.([]any)
	if !ok || len(arr) != 2 {
		return nil, tagError(tagRecordID, "[table, key]")
	}
	tb, ok := arr[0].(string)
	if !ok {
		return nil, tagError(tagRecordID, "a text table name")
	}
	return RecordID{Table: tb, ID: arr[1]}, nil
}

func datetimeFromWire(content any) (any, error) {
	arr, ok := content.([]any)
	if !ok || len(arr) > 2 {
		return nil, tagError(tagDatetime, "[seconds, nanoseconds]")
	}
	parts, err := intParts(arr)
	if err != nil {
		return nil, tagError(tagDatetime, "integers")
	}
	return time.Unix(parts[0], parts[1]).UTC(), nil
}

func durationFromWire(content any) (any, error) {
	arr, ok := content.([]any)
	if !ok || len(arr) > 2 {
		return nil, tagError(tagDuration, "[seconds, nanoseconds]")
	}
	parts, err := intParts(arr)
	if err != nil || parts[0] > math.MaxInt64/int64(time.Second) {
		return nil, tagError(tagDuration, "integers in range")
	}
	return Duration(parts[0]*int64(time.Second) + parts[1]), nil
}

// intParts reads up to two integers, missing ones being zero.
func intParts(arr []any) ([2]int64, error) {
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

func tagError(n uint64, want string) error {
	return fmt.Errorf("rpc: cbor tag %d: expected %s", n, want)
}
