package jsvalue

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

func TestAppend(t *testing.T) {
	rec := map[string]any{
		"id":      rpc.RecordID{Table: "user", ID: "abc"},
		"gone":    rpc.None{},
		"nothing": nil,
		"when":    time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC),
		"big":     int64(1) << 60,
		"safe":    int64(1<<53 - 1),
		"huge":    rpc.BigInt{Abs: []byte{0x40, 0, 0, 0, 0, 0, 0, 0, 0}}, // 2^70
		"n":       int64(7),
		"f":       1.5,
		"nan":     math.NaN(),
		"inf":     math.Inf(-1),
		"dur":     rpc.Duration(90 * time.Second),
		"dec":     rpc.Decimal("1.10"),
		"uuid":    rpc.UUID{0: 1, 15: 2},
		"table":   rpc.Table("user"),
		"geo":     rpc.Tag{Number: 88, Content: []any{1.5, 2.5}},
		"list":    []any{rpc.None{}, "x", true},
		"bytes":   []byte{0, 1, 255},
		"$id":     "mine",
		"$":       "dollar",
		"html":    "<a&b>\u2028",
	}
	got, err := Append(nil, rec)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"$$":"dollar","$$id":"mine","big":{"$":"bigint","v":"1152921504606846976"},"bytes":{"$":"bytes","v":"AAH/"},` +
		`"dec":"1.10","dur":"1m30s","f":1.5,"geo":[1.5,2.5],"html":"\u003ca\u0026b\u003e\u2028",` +
		`"huge":{"$":"bigint","v":"1180591620717411303424"},"id":"user:abc","inf":{"$":"number","v":"-Infinity"},` +
		`"list":[{"$":"undefined"},"x",true],"n":7,"nan":{"$":"number","v":"NaN"},"nothing":null,"safe":9007199254740991,` +
		`"table":"user","uuid":"01000000-0000-0000-0000-000000000002","when":"2024-01-02T03:04:05.000000006Z"}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestAppendRefuses(t *testing.T) {
	deep := any("x")
	for range maxDepth + 2 {
		deep = []any{deep}
	}
	for _, v := range []any{struct{}{}, deep, map[string]any{"c": make(chan int)}} {
		if _, err := Append(nil, v); err == nil {
			t.Errorf("Append(%T) did not fail", v)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{`42`, int64(42)},
		{`-0`, int64(0)},
		{`1.5`, 1.5},
		{`1152921504606846976`, float64(1 << 60)},
		{`null`, nil},
		{`"a:b"`, "a:b"},
		{`true`, true},
		{`[1,null,"x"]`, []any{int64(1), nil, "x"}},
		{`[]`, []any{}},
		{`{"a":1,"c":{"d":[true]}}`, map[string]any{"a": int64(1), "c": map[string]any{"d": []any{true}}}},
		{`{"$":"date","v":86400000}`, time.Unix(86400, 0).UTC()},
		{`{"v":86400000,"$":"date"}`, time.Unix(86400, 0).UTC()},
		{`{"$":"bytes","v":"AQL/"}`, []byte{1, 2, 255}},
		{`{"$":"undefined"}`, rpc.None{}},
		{`{"$$":1,"$$x":2,"$$$":3}`, map[string]any{"$": int64(1), "$x": int64(2), "$$": int64(3)}},
		{`{"x":{"$":"number","v":"Infinity"}}`, map[string]any{"x": math.Inf(1)}},
	}
	for _, tt := range tests {
		got, err := Parse([]byte(tt.in))
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%s) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
	for in, want := range map[string]int64{`{"$":"bigint","v":"9007199254740993"}`: 9007199254740993, `{"$":"bigint","v":"-9223372036854775808"}`: math.MinInt64} {
		if v, err := Parse([]byte(in)); err != nil || v != want {
			t.Errorf("Parse(%s) = %#v, %v; want int64 %d", in, v, err, want)
		}
	}
	if _, err := Parse([]byte(`{"$":"bigint","v":"9223372036854775808"}`)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("a bigint beyond int64: %v, want ErrUnsupported", err)
	}
	nan, err := Parse([]byte(`{"$":"number","v":"NaN"}`))
	if f, ok := nan.(float64); err != nil || !ok || !math.IsNaN(f) {
		t.Errorf("NaN: %#v, %v", nan, err)
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{
		``, `{`, `[1,]`, `{"$":1}`, `{"$":"date"}`, `{"$":"date","v":"x"}`, `{"$":"date","v":1.5}`,
		`{"$":"bytes","v":"%%%"}`, `{"$":"number","v":"1"}`, `{"$":"what","v":1}`, `{"$":"bytes","v":"AA==","w":1}`,
		`{"$":"bigint","v":"1.5"}`, `{"$":"bigint","v":1}`, `{"$":"bigint","v":"9223372036854775808"}`, strings.Repeat("[", maxDepth+2) + strings.Repeat("]", maxDepth+2),
	} {
		if v, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q) = %#v, want an error", in, v)
		}
	}
}

// TestRoundTrip: what Append writes, Parse reads back as the same value,
// for the kinds both directions share.
func TestRoundTrip(t *testing.T) {
	in := map[string]any{"a": []any{int64(1), "x", nil, false, 2.5, map[string]any{"$k": []byte{7}}}}
	b, err := Append(nil, in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("%s read back as %#v", b, out)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"$":"bytes","v":"AQL/"}`, `[{"$$":1},{"$":"undefined"}]`, `{"a":[1,2.5,"x",null,true]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if err != nil {
			return
		}
		b, err := Append(nil, v)
		if err != nil {
			t.Fatalf("Append of what Parse read (%#v): %v", v, err)
		}
		if _, err := Parse(b); err != nil {
			t.Fatalf("Parse of %s: %v", b, err)
		}
	})
}

func TestDurationText(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0ns"},
		{-time.Second, "0ns"},
		{time.Nanosecond, "1ns"},
		{1500 * time.Microsecond, "1ms500µs"},
		{90 * time.Second, "1m30s"},
		{time.Hour, "1h"},
		{day + 2*time.Hour + 3*time.Second, "1d2h3s"},
		{9 * day, "1w2d"},
		{366 * day, "1y1d"},
	}
	for _, tt := range tests {
		if got := DurationText(tt.in); got != tt.want {
			t.Errorf("DurationText(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
