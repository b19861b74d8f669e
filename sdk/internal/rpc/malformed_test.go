//go:build !js

package rpc

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// replyServer answers every request after the first (a ping, to prove the
// connection works) with frame(id); a nil frame answers normally.
func replyServer(t *testing.T, frame func(id []byte) []byte, closed chan<- websocket.StatusCode) string {
	return fakeServer(t, []string{"cbor"}, func(ctx context.Context, ws *websocket.Conn) {
		for {
			_, data, err := ws.Read(ctx)
			if err != nil {
				if closed != nil {
					closed <- websocket.CloseStatus(err)
				}
				return
			}
			env, _ := parseEnvelope(data)
			id := enc(t, env.id)
			out := rawMap(enc(t, "id"), id, enc(t, "result"), enc(t, None{}))
			if f := frame(id); f != nil && !bytes.Contains(data, []byte("ping")) {
				out = f
			}
			ws.Write(ctx, websocket.MessageBinary, out)
		}
	})
}

// TestMalformedRepliesFailTheirCall: each reply below used to be dropped,
// leaving its call to wait for its deadline on a live connection. Now the
// call fails at once with ErrMalformedReply and the connection lives on.
func TestMalformedRepliesFailTheirCall(t *testing.T) {
	k := func(s string) []byte { return enc(t, s) }
	cases := map[string]func(id []byte) []byte{
		"error.code is text": func(id []byte) []byte {
			return rawMap(k("error"), enc(t, map[string]any{"code": "oops", "message": "m"}), k("id"), id)
		},
		"error.code is a float": func(id []byte) []byte {
			return rawMap(k("error"), enc(t, map[string]any{"code": -32000.0, "message": "m"}), k("id"), id)
		},
		"error.message is not UTF-8": func(id []byte) []byte {
			return rawMap(k("error"), rawMap(k("code"), enc(t, 1), k("message"), []byte{0x62, 0xff, 0xfe}), k("id"), id)
		},
		"duplicate key in the error": func(id []byte) []byte {
			return rawMap(k("error"), rawMap(k("code"), enc(t, 1), k("code"), enc(t, 2)), k("id"), id)
		},
		"error is text": func(id []byte) []byte { return rawMap(k("error"), k("bad"), k("id"), id) },
		"duplicate result key": func(id []byte) []byte {
			return rawMap(k("id"), id, k("result"), enc(t, 1), k("result"), enc(t, 2))
		},
		"truncated after the id":   func(id []byte) []byte { return rawMap(k("id"), id, k("result"), []byte{0x62, 'a'}) },
		"neither result nor error": func(id []byte) []byte { return rawMap(k("id"), id, k("session"), enc(t, None{})) },
	}
	for name, frame := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := Dial(context.Background(), replyServer(t, frame, nil), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			start := time.Now()
			_, err = c.Call(ctx, "signin", map[string]any{"user": "u"})
			if !errors.Is(err, ErrMalformedReply) || time.Since(start) > time.Second {
				t.Fatalf("got %v after %v, want ErrMalformedReply at once", err, time.Since(start))
			}
			if _, err := c.Call(ctx, "ping"); err != nil || c.Err() != nil {
				t.Fatalf("the connection did not survive: %v, %v", err, c.Err())
			}
		})
	}
}

// TestUndecodableResultFailsAtOnce: a result is handed over raw; one that
// does not decode fails in Unmarshal as soon as the call returns (the sdk
// maps that to server_error).
func TestUndecodableResultFailsAtOnce(t *testing.T) {
	k := func(s string) []byte { return enc(t, s) }
	for name, result := range map[string][]byte{
		"duplicate key":     rawMap(k("a"), enc(t, 1), k("a"), enc(t, 2)),
		"invalid UTF-8":     {0x62, 0xff, 0xfe},
		"negative duration": {0xce, 0x82, 0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00},
	} {
		t.Run(name, func(t *testing.T) {
			url := replyServer(t, func(id []byte) []byte { return rawMap(k("id"), id, k("result"), result) }, nil)
			c, err := Dial(context.Background(), url, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			raw, err := c.Call(ctx, "info")
			if err != nil {
				t.Fatal(err)
			}
			if v, err := Unmarshal(raw); err == nil {
				t.Fatalf("decoded %#v", v)
			}
		})
	}
}

// TestUnroutableFrameFailsTheConnection: a frame with no id to blame (not a
// map, two ids, bytes that are not CBOR) may have been any call's reply.
// Every pending call fails at once, the socket is closed with 1002, and the
// client reconnects.
func TestUnroutableFrameFailsTheConnection(t *testing.T) {
	k := func(s string) []byte { return enc(t, s) }
	for name, frame := range map[string]func(id []byte) []byte{
		"not a map": func([]byte) []byte { return enc(t, 5) },
		"two ids":   func(id []byte) []byte { return rawMap(k("id"), id, k("id"), k("7"), k("result"), enc(t, 1)) },
		"not CBOR":  func([]byte) []byte { return []byte{0xff, 0x00} },
		"truncated before the id": func(id []byte) []byte {
			return rawMap(k("error"), []byte{0xa1, 0x64, 'c', 'o'}, k("id"), id)
		},
	} {
		t.Run(name, func(t *testing.T) {
			closed := make(chan websocket.StatusCode, 1)
			c, err := Dial(context.Background(), replyServer(t, frame, closed), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			start := time.Now()
			_, err = c.Call(ctx, "signin", map[string]any{})
			if !errors.Is(err, ErrClosed) || !errors.Is(err, ErrProtocol) || time.Since(start) > time.Second {
				t.Fatalf("got %v after %v", err, time.Since(start))
			}
			select {
			case code := <-closed:
				if code != websocket.StatusProtocolError {
					t.Fatalf("closed with %v, want 1002", code)
				}
			case <-time.After(3 * time.Second):
				t.Fatal("the socket was not closed")
			}
		})
	}
}

// TestRepliesRoutedBeforeDecoding: a reply whose caller gave up is dropped
// without decoding its error details; the same frame for a waiting call is
// decoded. Measured in bytes allocated by dispatch itself.
func TestRepliesRoutedBeforeDecoding(t *testing.T) {
	details := make([]any, 100000)
	for i := range details {
		details[i] = int64(i)
	}
	frame := enc(t, map[string]any{"id": "7", "error": map[string]any{"code": int64(-32000), "message": "m", "details": details}})
	c := &Conn{pending: map[string]chan reply{}, done: make(chan struct{})}
	alloc := func() uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := c.dispatch(frame); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	if got := alloc(); got > 16<<10 {
		t.Fatalf("a reply for no pending call allocated %d bytes", got)
	}
	ch := make(chan reply, 1)
	c.pending["7"] = ch
	if got := alloc(); got < 1<<20 {
		t.Fatalf("the waiting call's reply allocated only %d bytes: was it decoded?", got)
	}
	var se *ServerError
	if r := <-ch; !errors.As(r.err, &se) || len(se.Details.([]any)) != len(details) {
		t.Fatalf("got %v", r.err)
	}
}

// TestOrphanErrorsStillReported: an error without an id that cannot be read
// is reported as a parse error; the connection lives on.
func TestOrphanErrorsStillReported(t *testing.T) {
	orphans := make(chan *ServerError, 2)
	url := fakeServer(t, []string{"cbor"}, func(ctx context.Context, ws *websocket.Conn) {
		ws.Write(ctx, websocket.MessageBinary, enc(t, map[string]any{"error": map[string]any{"code": "text"}}))
		ws.Write(ctx, websocket.MessageBinary, enc(t, map[string]any{"error": map[string]any{"code": int64(-32700), "message": "Parse error"}}))
		ws.Read(ctx)
	})
	c, err := Dial(context.Background(), url, Options{Orphan: func(e *ServerError) { orphans <- e }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, want := range []string{"undecodable error without an id: rpc: error.code is not an integer", "Parse error"} {
		select {
		case o := <-orphans:
			if o.Code != -32700 || o.Message != want {
				t.Fatalf("orphan %+v, want %q", o, want)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("orphan not reported")
		}
	}
	if c.Err() != nil {
		t.Fatal(c.Err())
	}
}
