//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// maxDepth bounds nesting, so a cyclic object is refused rather than followed
// forever.
const maxDepth = 32

// maxSafeInteger is Number.MAX_SAFE_INTEGER: integral numbers up to it are
// sent as integers (CBOR ints), as SurrealQL would read them.
const maxSafeInteger = 1<<53 - 1

// fromJS converts a JS value into the plain Go values sdk.ParseCredentials
// and the CBOR codec understand: map[string]any, []any, string, bool, nil,
// int64 for integral numbers, float64 otherwise, time.Time for a Date and
// []byte for a Uint8Array. undefined properties are left out, as JSON does.
func fromJS(v safejs.Value) (out any, err error) {
	defer func() {
		// syscall/js panics on the one value it has no type for: a BigInt.
		if r := recover(); r != nil {
			out, err = nil, invalidParams(fmt.Sprint("a BigInt cannot be sent; use a number or a string (", r, ")"))
		}
	}()
	out, err = convertIn(v, 0)
	var sdkErr *sdk.Error
	if err != nil && !errors.As(err, &sdkErr) {
		err = invalidParams("the value could not be read: " + describe(err)) // a getter or Proxy threw
	}
	return out, err
}

func convertIn(v safejs.Value, depth int) (any, error) {
	if depth > maxDepth {
		return nil, invalidParams("the value is nested too deeply (or refers to itself)")
	}
	switch v.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return nil, nil
	case safejs.TypeBoolean:
		return v.Bool()
	case safejs.TypeString:
		return v.String()
	case safejs.TypeNumber:
		f, err := v.Float()
		return number(f), err
	case safejs.TypeObject:
		return objectIn(v, depth)
	default:
		return nil, invalidParams("a " + v.Type().String() + " cannot be sent")
	}
}

// number keeps integral values integral: 42 is sent as the integer 42, not
// the float 42.0, which SurrealQL would type differently.
func number(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) <= maxSafeInteger {
		return int64(f)
	}
	return f
}

func objectIn(v safejs.Value, depth int) (any, error) {
	switch brand(v) {
	case "Array":
		return arrayIn(v, depth)
	case "Date":
		ms, err := v.Call("getTime")
		if err != nil {
			return nil, err
		}
		f, err := ms.Float()
		if err != nil || math.IsNaN(f) {
			return nil, invalidParams("an invalid Date cannot be sent")
		}
		return time.UnixMilli(int64(f)).UTC(), nil
	case "Uint8Array":
		n, err := length(v)
		if err != nil {
			return nil, err
		}
		b := make([]byte, n)
		_, err = safejs.CopyBytesToGo(b, v)
		return b, err
	default:
		return mapIn(v, depth)
	}
}

func arrayIn(v safejs.Value, depth int) ([]any, error) {
	n, err := length(v)
	if err != nil {
		return nil, err
	}
	out := make([]any, n)
	for i := range out {
		e, err := get(v, i)
		if err != nil {
			return nil, err
		}
		if out[i], err = convertIn(e, depth+1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// mapIn reads an object's own enumerable string keys.
func mapIn(v safejs.Value, depth int) (map[string]any, error) {
	keys, err := objectKeys(v)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		e, err := get(v, k)
		if err != nil {
			return nil, err
		}
		if e.IsUndefined() {
			continue
		}
		if out[k], err = convertIn(e, depth+1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func objectKeys(v safejs.Value) ([]string, error) {
	object, err := constructor("Object")
	if err != nil {
		return nil, err
	}
	arr, err := object.Call("keys", v)
	if err != nil {
		return nil, err
	}
	n, err := length(arr)
	if err != nil {
		return nil, err
	}
	keys := make([]string, n)
	for i := range keys {
		k, err := get(arr, i)
		if err != nil {
			return nil, err
		}
		if keys[i], err = k.String(); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// brand is what Object.prototype.toString says v is ("Array", "Date",
// "Uint8Array", "Object", …). Unlike instanceof it works across frames, and
// it runs as a call, which wasm_exec.js guards (instanceof is not).
func brand(v safejs.Value) string {
	object, err := constructor("Object")
	if err != nil {
		return ""
	}
	proto, err := get(object, "prototype")
	if err != nil {
		return ""
	}
	toString, err := get(proto, "toString")
	if err != nil {
		return ""
	}
	tag, err := toString.Call("call", v)
	if err != nil {
		return ""
	}
	s, err := tag.String()
	if err != nil || !strings.HasPrefix(s, "[object ") {
		return ""
	}
	return strings.TrimSuffix(strings.TrimPrefix(s, "[object "), "]")
}

// length reads v.length through get, as a non-negative int.
func length(v safejs.Value) (int, error) {
	l, err := get(v, "length")
	if err != nil {
		return 0, err
	}
	n, err := l.Int()
	if err == nil && n < 0 {
		err = invalidParams("a negative length")
	}
	return n, err
}
