package jsvalue

import (
	"encoding/base64"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/jsonx"
	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// maxSafe is Number.MAX_SAFE_INTEGER: integers up to it are JS numbers.
const maxSafe = 1<<53 - 1

// maxDepth bounds nesting both ways; the server's values stay far inside
// it, and a cyclic Go value is refused instead of followed.
const maxDepth = 64

// ErrDepth is the error of a value nested deeper than maxDepth.
var ErrDepth = errors.New("jsvalue: nested too deeply")

// ErrUnsupported is the error of a Go value with no JSON form here.
var ErrUnsupported = errors.New("jsvalue: a value of a type JavaScript is not given")

// Append appends the JSON form of v, a value the sdk decoded from the
// server (or plain Go values of the same kinds), to dst.
func Append(dst []byte, v any) ([]byte, error) {
	return appendValue(dst, v, 0)
}

func appendValue(b []byte, v any, depth int) ([]byte, error) {
	if depth > maxDepth {
		return b, ErrDepth
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case rpc.None:
		return append(b, `{"$":"undefined"}`...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		return jsonx.AppendString(b, x), nil
	case float64:
		return appendFloat(b, x), nil
	case float32:
		return appendFloat(b, float64(x)), nil
	case int64:
		return appendInt(b, x), nil
	case int:
		return appendInt(b, int64(x)), nil
	case uint64:
		if x <= maxSafe {
			return strconv.AppendUint(b, x, 10), nil
		}
		return appendTagged(b, "bigint", strconv.FormatUint(x, 10)), nil
	case rpc.BigInt:
		return appendTagged(b, "bigint", x.String()), nil
	case []byte:
		return appendTagged(b, "bytes", base64.StdEncoding.EncodeToString(x)), nil
	case []any:
		return appendArray(b, x, depth)
	case map[string]any:
		return appendObject(b, x, depth)
	case rpc.Tag: // a SurrealQL type without a Go one here (geometry, range, …): its content
		return appendValue(b, x.Content, depth+1)
	}
	if s, ok := text(v); ok {
		return jsonx.AppendString(b, s), nil
	}
	return b, ErrUnsupported
}

// text is the SurrealQL text of the values JavaScript has no type for.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case rpc.RecordID:
		return x.String(), true
	case rpc.UUID:
		return x.String(), true
	case rpc.Table:
		return string(x), true
	case rpc.Decimal:
		return string(x), true
	case rpc.Duration:
		return DurationText(time.Duration(x)), true
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), true
	}
	return "", false
}

func appendInt(b []byte, n int64) []byte {
	if n >= -maxSafe && n <= maxSafe {
		return strconv.AppendInt(b, n, 10)
	}
	return appendTagged(b, "bigint", strconv.FormatInt(n, 10))
}

func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return appendTagged(b, "number", "NaN")
	case math.IsInf(f, 1):
		return appendTagged(b, "number", "Infinity")
	case math.IsInf(f, -1):
		return appendTagged(b, "number", "-Infinity")
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

func appendTagged(b []byte, kind, v string) []byte {
	b = append(append(append(b, `{"$":"`...), kind...), `","v":`...)
	return append(jsonx.AppendString(b, v), '}')
}

func appendArray(b []byte, a []any, depth int) ([]byte, error) {
	b = append(b, '[')
	for i, e := range a {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValue(b, e, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// appendObject writes m's members in key order, NONE ones left out, keys
// that start with "$" escaped.
func appendObject(b []byte, m map[string]any, depth int) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k, e := range m {
		if _, none := e.(rpc.None); !none {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		name := k
		if len(k) > 0 && k[0] == '$' {
			name = "$" + k
		}
		b = append(jsonx.AppendString(b, name), ':')
		var err error
		if b, err = appendValue(b, m[k], depth+1); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}
