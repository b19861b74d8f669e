//go:build js && wasm

package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// toJS converts a value decoded from the server (an info() record) into
// plain JS: record ids, UUIDs, decimals and durations become their SurrealQL
// text ("user:abc"), datetimes RFC 3339 strings in UTC, bytes a Uint8Array,
// integers beyond 2^53 a BigInt. NONE fields are left out of objects (and are
// undefined in arrays); null stays null.
func toJS(v any) (safejs.Value, error) {
	return convertOut(v, 0)
}

func convertOut(v any, depth int) (safejs.Value, error) {
	if depth > 64 {
		return safejs.Value{}, fmt.Errorf("the server's value is nested too deeply")
	}
	switch x := v.(type) {
	case nil:
		return safejs.Null(), nil
	case sdk.None:
		return safejs.Undefined(), nil
	case map[string]any:
		return objectOut(x, depth)
	case []any:
		return arrayOut(x, depth)
	case []byte:
		return bytesOut(x)
	case sdk.Tag: // a SurrealQL type the sdk does not model (geometry, …): its content
		return convertOut(x.Content, depth+1)
	}
	if s, ok := scalarText(v); ok {
		return safejs.ValueOf(s)
	}
	return scalarOut(v)
}

// scalarText renders the SurrealQL values that JS has no type for.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case sdk.RecordID:
		return x.String(), true
	case sdk.UUID:
		return x.String(), true
	case sdk.Table:
		return string(x), true
	case sdk.Decimal:
		return string(x), true
	case sdk.Duration:
		return surrealDuration(time.Duration(x)), true
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), true
	}
	return "", false
}

func scalarOut(v any) (safejs.Value, error) {
	switch x := v.(type) {
	case string, bool, float64, float32:
		return safejs.ValueOf(x)
	case int64:
		return intOut(x)
	case uint64:
		if x <= maxSafeInteger {
			return safejs.ValueOf(float64(x))
		}
		return bigIntOut(strconv.FormatUint(x, 10))
	case int:
		return intOut(int64(x))
	case sdk.BigInt:
		return bigIntOut(x.String())
	default:
		return safejs.ValueOf(fmt.Sprint(x))
	}
}

func intOut(n int64) (safejs.Value, error) {
	if n >= -maxSafeInteger && n <= maxSafeInteger {
		return safejs.ValueOf(float64(n))
	}
	return bigIntOut(strconv.FormatInt(n, 10))
}

func bigIntOut(decimal string) (safejs.Value, error) {
	ctor, err := constructor("BigInt")
	if err != nil {
		return safejs.ValueOf(decimal) // no BigInt: the exact digits as text
	}
	return ctor.Invoke(decimal)
}

func objectOut(m map[string]any, depth int) (safejs.Value, error) {
	obj, err := newObject()
	if err != nil {
		return obj, err
	}
	// Sorted, as SurrealDB itself orders an object's fields (the Go map lost
	// the wire order), so the same record always prints the same way.
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e := m[k]
		if _, none := e.(sdk.None); none {
			continue
		}
		jv, err := convertOut(e, depth+1)
		if err != nil {
			return obj, err
		}
		if err := obj.Set(k, jv); err != nil {
			return obj, err
		}
	}
	return obj, nil
}

func arrayOut(a []any, depth int) (safejs.Value, error) {
	ctor, err := constructor("Array")
	if err != nil {
		return safejs.Value{}, err
	}
	arr, err := ctor.New(len(a))
	if err != nil {
		return arr, err
	}
	for i, e := range a {
		jv, err := convertOut(e, depth+1)
		if err != nil {
			return arr, err
		}
		if err := arr.SetIndex(i, jv); err != nil {
			return arr, err
		}
	}
	return arr, nil
}

func bytesOut(b []byte) (safejs.Value, error) {
	ctor, err := constructor("Uint8Array")
	if err != nil {
		return safejs.Value{}, err
	}
	arr, err := ctor.New(len(b))
	if err != nil {
		return arr, err
	}
	_, err = safejs.CopyBytesToJS(arr, b)
	return arr, err
}
