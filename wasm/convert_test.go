//go:build js && wasm

package main

import (
	"reflect"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// evalJS evaluates a JS expression (the tests run under Node).
func evalJS(t *testing.T, expr string) safejs.Value {
	t.Helper()
	v, err := safejs.Global().Call("eval", "("+expr+")")
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

func TestFromJS(t *testing.T) {
	tests := []struct {
		name string
		js   string
		want any
	}{
		{"integral numbers are integers", "42", int64(42)},
		{"negative zero", "-0", int64(0)},
		{"fractions stay floats", "1.5", 1.5},
		{"beyond 2^53 stays a float", "2 ** 60", float64(1 << 60)},
		{"null", "null", nil},
		{"string", "'a:b'", "a:b"},
		{"bool", "true", true},
		{"date", "new Date(86400000)", time.Unix(86400, 0).UTC()},
		{"bytes", "new Uint8Array([1, 2, 255])", []byte{1, 2, 255}},
		{"array with a hole", "[1, undefined, 'x']", []any{int64(1), nil, "x"}},
		{"undefined properties are left out", "({a: 1, b: undefined, c: {d: [true]}})",
			map[string]any{"a": int64(1), "c": map[string]any{"d": []any{true}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fromJS(evalJS(t, tt.js))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestFromJSRefuses(t *testing.T) {
	for _, expr := range []string{
		"(() => { const o = {}; o.self = o; return o; })()",
		"({f() {}})",
		"({n: 10n})",
		"({get x() { throw new Error('boom'); }})",
		"new Proxy({}, {ownKeys() { throw new Error('trap'); }})",
		"new Date(NaN)",
	} {
		_, err := fromJS(evalJS(t, expr))
		if sdk.CodeOf(err) != sdk.CodeInvalidParams {
			t.Errorf("%s: got %v, want invalid_params", expr, err)
		}
	}
}

func TestToJS(t *testing.T) {
	rec := map[string]any{
		"id":      sdk.RecordID{Table: "user", ID: "abc"},
		"gone":    sdk.None{},
		"nothing": nil,
		"when":    time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC),
		"big":     int64(1) << 60,
		"huge":    sdk.BigInt{Abs: []byte{0x40, 0, 0, 0, 0, 0, 0, 0, 0}}, // 2^70
		"n":       int64(7),
		"dur":     sdk.Duration(90 * time.Second),
		"dec":     sdk.Decimal("1.10"),
		"list":    []any{sdk.None{}, "x"},
		"bytes":   []byte{9},
	}
	v, err := toJS(rec)
	if err != nil {
		t.Fatal(err)
	}
	safejs.Global().Set("converted", v)
	js := evalJS(t, `JSON.stringify(converted, (k, v) => typeof v === "bigint" ? v.toString() + "n" : v instanceof Uint8Array ? [...v] : v)`)
	got, _ := js.String()
	want := `{"big":"1152921504606846976n","bytes":[9],"dec":"1.10","dur":"1m30s","huge":"1180591620717411303424n",` +
		`"id":"user:abc","list":[null,"x"],"n":7,"nothing":null,"when":"2024-01-02T03:04:05.000000006Z"}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if has, _ := evalJS(t, `"gone" in converted`).Bool(); has {
		t.Error("a NONE field is present")
	}
	if undef, _ := evalJS(t, `converted.list[0] === undefined`).Bool(); !undef {
		t.Error("NONE in an array is not undefined")
	}
}
