package rpc

import (
	"math"
	"time"
)

// SurrealDB keeps datetimes in chrono's range, 262145 BCE to the end of
// 262143 CE; Go's time.Time holds all of it. A datetime beyond it cannot
// come from a real server and is refused, as are nanoseconds outside
// [0, 1e9), which time.Unix would silently carry into the seconds.
const (
	minDatetime = -8334632851200 // -262144-01-01T00:00:00Z
	maxDatetime = 8210298412799  // +262143-12-31T23:59:59Z
)

// tagged decodes the content of tag num (whose head was just read).
func (b *builder) tagged(num uint64) (any, error) {
	switch num {
	case tagUnsignedBig, tagNegativeBig:
		return b.bignum(num)
	case tagDatetimeText:
		return b.datetimeText()
	}
	content, err := b.value(false)
	if err != nil {
		return nil, err
	}
	switch num {
	case tagNone:
		return None{}, nil
	case tagTable:
		if s, ok := content.(string); ok {
			return Table(s), nil
		}
		return nil, &tagError{num: num, want: "text"}
	case tagRecordID:
		return recordID(content)
	case tagUUID:
		if u, ok := content.([]byte); ok && len(u) == 16 {
			return UUID(u), nil
		}
		return nil, &tagError{num: num, want: "16 bytes"}
	case tagUUIDText:
		s, _ := content.(string)
		if u, err := ParseUUID(s); err == nil {
			return u, nil
		}
		return nil, &tagError{num: num, want: "uuid text"}
	case tagDecimalText:
		if s, ok := content.(string); ok {
			return Decimal(s), nil
		}
		return nil, &tagError{num: num, want: "text"}
	case tagDatetime:
		return datetime(content)
	case tagDuration:
		return duration(content)
	case tagDurationText:
		if s, ok := content.(string); ok {
			return s, nil // kept as text: SurrealQL durations ("1w2d") are not Go's syntax
		}
		return nil, &tagError{num: num, want: "text"}
	}
	return Tag{Number: num, Content: content}, nil
}

// bignum reads tags 2 and 3, whose content must be a byte string. As every
// integer, it is an int64 when it fits.
func (b *builder) bignum(num uint64) (any, error) {
	major, ai, arg, next, err := readHead(b.data, b.pos)
	if err != nil {
		return nil, err
	}
	if major != majorBytes {
		return nil, &tagError{num: num, want: "a byte string"}
	}
	b.pos = next
	mag, err := b.str(majorBytes, ai, arg)
	if err != nil {
		return nil, err
	}
	v := BigInt{Abs: append([]byte(nil), trimZeros(mag)...)}
	if num == tagNegativeBig {
		v = BigInt{Neg: true, Abs: addOne(mag)}
	}
	return v.small(), nil
}

// datetimeText reads tag 0, RFC 3339 text.
func (b *builder) datetimeText() (any, error) {
	if b.pos >= len(b.data) || b.data[b.pos]>>5 != majorText {
		return nil, &tagError{num: tagDatetimeText, want: "RFC 3339 text"}
	}
	v, err := b.value(false)
	if err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339, v.(string))
	if err != nil {
		return nil, &tagError{num: tagDatetimeText, want: "RFC 3339 text"}
	}
	return t.UTC(), nil
}

func recordID(content any) (any, error) {
	if s, ok := content.(string); ok {
		for i := 0; i < len(s); i++ {
			if s[i] == ':' {
				return RecordID{Table: s[:i], ID: s[i+1:]}, nil
			}
		}
		return nil, &tagError{num: tagRecordID, want: `"table:id" text`}
	}
	arr, ok := content.([]any)
	if !ok || len(arr) != 2 {
		return nil, &tagError{num: tagRecordID, want: "[table, key]"}
	}
	tb, ok := arr[0].(string)
	if !ok {
		return nil, &tagError{num: tagRecordID, want: "a text table name"}
	}
	return RecordID{Table: tb, ID: arr[1]}, nil
}

// datetime reads tag 12, [seconds, nanoseconds] with missing parts zero.
func datetime(content any) (any, error) {
	secs, nanos, err := secondsNanos(tagDatetime, content)
	if err != nil {
		return nil, err
	}
	if secs < minDatetime || secs > maxDatetime {
		return nil, &tagError{num: tagDatetime, want: "seconds within SurrealDB's datetime range", err: errRange}
	}
	return time.Unix(secs, nanos).UTC(), nil
}

// duration reads tag 14, [seconds, nanoseconds] with missing parts zero.
// Negative parts and totals beyond time.Duration are refused: they used to
// wrap (MinInt64 seconds decoded as 0s).
func duration(content any) (any, error) {
	secs, nanos, err := secondsNanos(tagDuration, content)
	if err != nil {
		return nil, err
	}
	if secs < 0 || secs > (math.MaxInt64-nanos)/int64(time.Second) {
		return nil, &tagError{num: tagDuration, want: "seconds within time.Duration's range, not negative", err: errRange}
	}
	return Duration(secs*int64(time.Second) + nanos), nil
}

// secondsNanos reads [seconds?, nanoseconds?]: integers, nanoseconds in
// [0, 1e9).
func secondsNanos(num uint64, content any) (secs, nanos int64, err error) {
	arr, ok := content.([]any)
	if !ok || len(arr) > 2 {
		return 0, 0, &tagError{num: num, want: "[seconds, nanoseconds]"}
	}
	var parts [2]int64
	for i, e := range arr {
		n, ok := e.(int64)
		if !ok {
			return 0, 0, &tagError{num: num, want: "integer seconds and nanoseconds"}
		}
		parts[i] = n
	}
	if parts[1] < 0 || parts[1] >= int64(time.Second) {
		return 0, 0, &tagError{num: num, want: "nanoseconds in [0, 1e9)", err: errRange}
	}
	return parts[0], parts[1], nil
}
