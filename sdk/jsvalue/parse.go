package jsvalue

import (
	"encoding/base64"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/jsonx"
	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// ErrForm is the error of a text that is not this package's JSON form: not
// JSON, or a "$" object of an unknown kind or shape.
var ErrForm = errors.New("jsvalue: not the bridge's JSON form")

// Parse reads the JSON form of a value the page gave: objects become
// map[string]any, arrays []any, integral numbers within ±(2^53−1) int64
// and other numbers float64 (SurrealQL types 42 and 42.0 apart), and the
// "$" objects their Go values (time.Time in UTC, []byte, float64 for the
// non-finite numbers, rpc's None for undefined). A bigint is an int64 when
// it fits (SurrealDB's integers are 64-bit, and a page may send back a
// bigint a result gave it); beyond, it is refused with ErrUnsupported: the
// server has no integer to hold it.
func Parse(data []byte) (any, error) {
	r, err := jsonx.NewReader(data)
	if err != nil {
		return nil, ErrForm
	}
	return parseValue(r, 0)
}

func parseValue(r *jsonx.Reader, depth int) (any, error) {
	if depth > maxDepth {
		return nil, ErrDepth
	}
	switch r.Kind() {
	case jsonx.Null:
		r.SkipNull()
		return nil, nil
	case jsonx.Bool:
		return r.Bool(), nil
	case jsonx.String:
		return r.String(), nil
	case jsonx.Number:
		f, err := r.Float()
		if err != nil {
			return nil, ErrForm
		}
		return number(f), nil
	case jsonx.Array:
		out := []any{}
		err := r.Elements(func() error {
			v, err := parseValue(r, depth+1)
			out = append(out, v)
			return err
		})
		return out, err
	}
	return parseObject(r, depth)
}

// number keeps integral values integral: 42 is sent as the integer 42, not
// the float 42.0, which SurrealQL would type differently.
func number(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) <= maxSafe {
		return int64(f)
	}
	return f
}

// parseObject reads an object, or the value a "$" object stands for.
func parseObject(r *jsonx.Reader, depth int) (any, error) {
	m := map[string]any{}
	var kind string
	var tagged bool
	err := r.Members(func(key []byte) error {
		if len(key) == 1 && key[0] == '$' {
			if r.Kind() != jsonx.String {
				return ErrForm
			}
			kind, tagged = r.String(), true
			return nil
		}
		name := string(key)
		if len(name) > 1 && name[0] == '$' {
			name = name[1:]
		}
		v, err := parseValue(r, depth+1)
		m[name] = v
		return err
	})
	if err != nil || !tagged {
		return m, err
	}
	return special(kind, m)
}

// special is the Go value of a "$" object whose other members are m.
func special(kind string, m map[string]any) (any, error) {
	v, hasV := m["v"]
	if kind == "undefined" && len(m) == 0 {
		return rpc.None{}, nil
	}
	if !hasV || len(m) != 1 {
		return nil, ErrForm
	}
	s, isText := v.(string)
	switch {
	case kind == "bigint" && isText:
		n, err := strconv.ParseInt(s, 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			return nil, ErrUnsupported
		} else if err != nil {
			return nil, ErrForm
		}
		return n, nil
	case kind == "bytes" && isText:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, ErrForm
		}
		return b, nil
	case kind == "number" && isText:
		return nonFinite(s)
	case kind == "date":
		ms, ok := v.(int64)
		if !ok {
			return nil, ErrForm
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	return nil, ErrForm
}

func nonFinite(s string) (any, error) {
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	return nil, ErrForm
}
