package rpc

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"reflect"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// The oracle for the decoder is the old one (oracle_test.go): fxamacker/cbor
// configured as this package used it, then its tag conversion. The two must
// agree wherever it matters; where they differ by design, the new decoder
// is the stricter one or the oracle's answer is not SurrealDB's:
//
//   - tag 1 (epoch time) is not SurrealDB's: kept as a Tag, where the
//     oracle made a time.Time (or refused a non-number);
//   - map keys that are not text (null, tagged, numbers): refused, where the
//     oracle turned some into "" or their text;
//   - simple values other than false/true/null/undefined: refused, where
//     the oracle returned cbor.SimpleValue;
//   - durations and datetimes out of range: refused, where the oracle
//     wrapped them (issue 11, finding 7);
//   - over the total budget: refused, where the oracle had none.

// allowedStricter says whether the new decoder may refuse what the oracle
// accepts, for this error.
func allowedStricter(err error) bool {
	for _, e := range []error{errKey, errSimple, errRange, errBudget} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// fromOracle turns the oracle's types into this package's.
func fromOracle(v any) any {
	switch x := v.(type) {
	case cbor.Tag:
		return Tag{Number: x.Number, Content: fromOracle(x.Content)}
	case big.Int:
		if x.IsInt64() {
			return x.Int64() // the new decoder's bignums are int64 when they fit
		}
		return BigInt{Neg: x.Sign() < 0, Abs: new(big.Int).Abs(&x).Bytes()}
	case *big.Int:
		return fromOracle(*x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromOracle(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fromOracle(e)
		}
		return out
	case RecordID:
		return RecordID{Table: x.Table, ID: fromOracle(x.ID)}
	}
	return v
}

// same compares decoded values: NaN equals NaN, times are equal instants,
// big integers equal values.
func same(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case BigInt:
		y, ok := b.(BigInt)
		return ok && bytes.Equal(trimZeros(x.Abs), trimZeros(y.Abs)) && (x.Neg == y.Neg || len(trimZeros(x.Abs)) == 0)
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !same(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			if f, ok := y[k]; !ok || !same(e, f) {
				return false
			}
		}
		return true
	case Tag:
		y, ok := b.(Tag)
		return ok && x.Number == y.Number && same(x.Content, y.Content)
	case RecordID:
		y, ok := b.(RecordID)
		return ok && x.Table == y.Table && same(x.ID, y.ID)
	}
	return reflect.DeepEqual(a, b)
}

// hasTag reports whether a decoded value holds tag num anywhere.
func hasTag(v any, num uint64) bool {
	switch x := v.(type) {
	case Tag:
		return x.Number == num || hasTag(x.Content, num)
	case []any:
		for _, e := range x {
			if hasTag(e, num) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if hasTag(e, num) {
				return true
			}
		}
	case RecordID:
		return hasTag(x.ID, num)
	}
	return false
}

// oracleTimeError: the oracle refused a tag 1 it wanted as a time (the
// new decoder keeps tag 1 as a Tag, possibly under a tag 6 that drops it).
func oracleTimeError(data []byte, err error) bool {
	msg := err.Error()
	return bytes.IndexByte(data, 0xc1) >= 0 && (strings.Contains(msg, "tag number 1 ") || strings.Contains(msg, "time.Time"))
}

// differ returns "" when the new decoder and the oracle agree on data (as
// far as they must), else what differs.
func differ(data []byte) string {
	mine, errMine := Unmarshal(data)
	old, errOld := oldUnmarshal(data)
	switch {
	case errMine != nil && errOld != nil:
		return ""
	case errMine != nil:
		if allowedStricter(errMine) {
			return ""
		}
		return "refused what the oracle accepts: " + errMine.Error()
	case errOld != nil:
		if hasTag(mine, 1) || oracleTimeError(data, errOld) {
			return ""
		}
		return "accepted what the oracle refuses: " + errOld.Error()
	case !same(mine, fromOracle(old)) && !hasTag(mine, 1):
		return "decoded differently"
	}
	return ""
}

// roundTrip returns "" when a decoded value encodes and decodes back to
// itself, through this package and through the oracle.
func roundTrip(v any) string {
	b, err := Marshal(v)
	if err != nil {
		return "cannot encode: " + err.Error()
	}
	back, err := Unmarshal(b)
	if err != nil {
		return "cannot decode its encoding: " + err.Error()
	}
	if !same(v, back) {
		return "changed in a round trip"
	}
	if hasTag(v, 1) {
		return ""
	}
	old, err := oldUnmarshal(b)
	if err != nil {
		return "the oracle cannot decode its encoding: " + err.Error()
	}
	if !same(v, fromOracle(old)) {
		return "the oracle decodes its encoding differently"
	}
	return ""
}
