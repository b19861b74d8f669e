package rpc

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// eachEngine runs fn per engine of the matrix against its shared server.
func eachEngine(t *testing.T, fn func(t *testing.T, url string)) {
	testserver.EachEngine(t, func(t *testing.T, s *testserver.Server) { fn(t, s.URL) })
}

// rootConn is a connection signed in as the dev server's root user, on its
// namespace and database.
func rootConn(t *testing.T, url string, opts Options) *Conn {
	t.Helper()
	c, err := Dial(context.Background(), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Call(ctx, "signin", map[string]any{"user": "root", "pass": "root"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, "use", "surrealauth", "demo"); err != nil {
		t.Fatal(err)
	}
	return c
}

// query runs one SurrealQL statement with vars and returns its result.
func query(t *testing.T, c *Conn, sql string, vars map[string]any) (any, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	raw, err := c.Call(ctx, "query", sql, vars)
	if err != nil {
		return nil, err
	}
	v, err := Unmarshal(raw)
	if err != nil {
		return nil, err
	}
	results, ok := v.([]any)
	if !ok || len(results) != 1 {
		t.Fatalf("query result %#v", v)
	}
	r := results[0].(map[string]any)
	if r["status"] != "OK" {
		t.Fatalf("%s: %#v", sql, r)
	}
	return r["result"], nil
}

// TestEngineRoundTrip: every value the encoder writes, the real engine reads
// as that SurrealQL value and sends back as it, through the decoder.
func TestEngineRoundTrip(t *testing.T) {
	u := UUID{0x01, 0x8f, 0x3a, 0x2b, 0xc4, 0xd5, 0x7e, 0x6f, 0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7}
	at := time.Date(2024, 1, 2, 3, 4, 5, 123456789, time.UTC)
	values := map[string]any{
		"text": "José ✓ \t end", "int": int64(42), "negative": int64(-7), "min int": int64(math.MinInt64), "max int": int64(math.MaxInt64),
		"float": 1.5, "small float": -0.000123, "true": true, "false": false, "null": nil, "NONE": None{},
		"array": []any{"a", int64(1), []any{true}}, "object": map[string]any{"b": int64(2), "a": map[string]any{"x": "y"}},
		"bytes": []byte{0, 1, 2, 255}, "datetime": at, "uuid": u, "decimal": Decimal("1.5"), "duration": Duration(90*time.Minute + 5),
		"record id": RecordID{"user", "abc"}, "record id with a number": RecordID{"user", int64(9)},
		"record id with an array": RecordID{"user", []any{"a", int64(1)}}, "table": Table("user"),
	}
	eachEngine(t, func(t *testing.T, url string) {
		c := rootConn(t, url, Options{})
		for name, v := range values {
			got, err := query(t, c, "RETURN $v", map[string]any{"v": v})
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if !same(got, v) {
				t.Errorf("%s: sent %#v, the engine returned %#v", name, v, got)
			}
		}
		// The engine's own values, decoded.
		got, err := query(t, c, "RETURN [d'2024-01-02T03:04:05.5Z', 1w2d, u'018f3a2b-c4d5-7e6f-8091-a2b3c4d5e6f7', user:x, NONE, 9.99dec]", nil)
		want := []any{time.Date(2024, 1, 2, 3, 4, 5, 500000000, time.UTC), Duration(9 * 24 * time.Hour), u, RecordID{"user", "x"}, None{}, Decimal("9.99")}
		if err != nil || !same(got, want) {
			t.Errorf("engine values: %#v, %v", got, err)
		}
	})
}
