package rpc

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"
)

var sessionID = UUID{0x01, 0x8f, 0x3a, 0x2b, 0xc4, 0xd5, 0x4e, 0x6f, 0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7}

// TestSessionRequestBytes: a request on another server session is the
// plain request's map with a fourth key, session, holding tag 37 over the
// 16 bytes; without one the bytes are those of TestPingBytes.
func TestSessionRequestBytes(t *testing.T) {
	got, err := encodeRequestIn("1", "ping", nil, &sessionID)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(t, "a4"+"626964613166"+"6d6574686f64"+"6470696e67"+"66706172616d73"+"80"+
		"6773657373696f6e"+"d825"+"50"+"018f3a2bc4d54e6f8091a2b3c4d5e6f7")
	if !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
	v, err := Unmarshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if m := v.(map[string]any); m["session"] != sessionID || m["method"] != "ping" {
		t.Fatalf("decoded %#v", m)
	}
	plain, _ := encodeRequestIn("1", "ping", nil, nil)
	old, _ := encodeRequest("1", "ping", nil)
	if !bytes.Equal(plain, old) || plain[0] != 0xa3 {
		t.Fatalf("without a session: %x, %x", plain, old)
	}
}

// TestCallInEngine: 3.x runs a call that names an attached session on that
// session, apart from the connection's own, and answers "Session not
// found" once it is detached. 2.x has no attach, and ignores the field:
// the call acts on the connection's own session, which is why the sdk
// never sends it to 2.x (docs/protocol.md#sessions).
func TestCallInEngine(t *testing.T) {
	eachEngine(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		c, err := Dial(ctx, url, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ns := func(call func() ([]byte, error)) any {
			t.Helper()
			raw, err := call()
			if err != nil {
				t.Fatal(err)
			}
			v, _ := Unmarshal(raw)
			return v.([]any)[0].(map[string]any)["result"]
		}
		_, attachErr := c.CallIn(ctx, sessionID, "attach")
		var se *ServerError
		if errors.As(attachErr, &se) && se.Code == -32601 { // 2.x: Method not found
			if _, err := c.CallIn(ctx, sessionID, "use", "surrealauth", "demo"); err != nil {
				t.Fatal(err)
			}
			if got := ns(func() ([]byte, error) { return c.Call(ctx, "query", "RETURN session::ns()") }); got != "surrealauth" {
				t.Fatalf("2.x: the connection's own session has ns %#v after a use naming another session", got)
			}
			return
		}
		if attachErr != nil {
			t.Fatal(attachErr)
		}
		if _, err := c.CallIn(ctx, sessionID, "use", "surrealauth", "demo"); err != nil {
			t.Fatal(err)
		}
		if got := ns(func() ([]byte, error) { return c.CallIn(ctx, sessionID, "query", "RETURN session::ns()") }); got != "surrealauth" {
			t.Fatalf("the attached session's ns: %#v", got)
		}
		if got := ns(func() ([]byte, error) { return c.Call(ctx, "query", "RETURN session::ns()") }); got != nil && got != (None{}) {
			t.Fatalf("the connection's own session has ns %#v", got)
		}
		if _, err := c.CallIn(ctx, sessionID, "detach"); err != nil {
			t.Fatal(err)
		}
		_, err = c.CallIn(ctx, sessionID, "info")
		if !errors.As(err, &se) || se.Kind != "NotFound" || se.Message != "Session not found: "+sessionID.String() {
			t.Fatalf("info on a detached session: %v", err)
		}
	})
}
