//go:build !js

package rpc

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeServer runs handle for each accepted socket. It stands in for
// SurrealDB where a test needs behaviour the engine will not produce on
// demand: replies in reverse order, garbage, silence, a refused subprotocol.
func fakeServer(t *testing.T, subprotocols []string, handle func(ctx context.Context, ws *websocket.Conn)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: subprotocols})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		handle(r.Context(), ws)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/rpc"
}

func readRequest(t *testing.T, ctx context.Context, ws *websocket.Conn) (map[string]any, bool) {
	_, data, err := ws.Read(ctx)
	if err != nil {
		return nil, false
	}
	v, err := Unmarshal(data)
	if err != nil {
		t.Errorf("server got undecodable request: %v", err)
		return nil, false
	}
	return v.(map[string]any), true
}

func send(ctx context.Context, ws *websocket.Conn, msg map[string]any) {
	b, _ := Marshal(msg)
	ws.Write(ctx, websocket.MessageBinary, b)
}

func TestRepliesOutOfOrder(t *testing.T) {
	const n = 50
	url := fakeServer(t, []string{"cbor"}, func(ctx context.Context, ws *websocket.Conn) {
		var reqs []map[string]any
		for len(reqs) < n {
			req, ok := readRequest(t, ctx, ws)
			if !ok {
				return
			}
			reqs = append(reqs, req)
		}
		for i := n - 1; i >= 0; i-- { // last asked, first answered
			send(ctx, ws, map[string]any{"id": reqs[i]["id"], "result": reqs[i]["params"].([]any)[0]})
		}
		ws.Read(ctx)
	})
	c, err := Dial(context.Background(), url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			raw, err := c.Call(context.Background(), "echo", int64(i))
			if err != nil {
				t.Error(err)
				return
			}
			if v, _ := Unmarshal(raw); v != int64(i) {
				t.Errorf("call %d got %v", i, v)
			}
		}()
	}
	wg.Wait()
}

func TestRefusesServerWithoutCbor(t *testing.T) {
	url := fakeServer(t, nil, func(ctx context.Context, ws *websocket.Conn) { ws.Read(ctx) })
	if _, err := Dial(context.Background(), url, Options{}); !errors.Is(err, ErrSubprotocol) {
		t.Fatalf("got %v, want ErrSubprotocol", err)
	}
	url = fakeServer(t, []string{"json"}, func(ctx context.Context, ws *websocket.Conn) { ws.Read(ctx) })
	if _, err := Dial(context.Background(), url, Options{}); err == nil {
		t.Fatal("accepted a server that only speaks json")
	}
}

func TestServerErrorsAndOrphans(t *testing.T) {
	orphans := make(chan *ServerError, 1)
	url := fakeServer(t, []string{"cbor"}, func(ctx context.Context, ws *websocket.Conn) {
		req, ok := readRequest(t, ctx, ws)
		if !ok {
			return
		}
		send(ctx, ws, map[string]any{"error": map[string]any{"code": int64(-32700), "message": "Parse error"}})
		send(ctx, ws, map[string]any{"result": map[string]any{"action": "CREATE"}}) // a live notification: ignored
		send(ctx, ws, map[string]any{"id": req["id"], "error": map[string]any{
			"code": int64(-32002), "kind": "NotAllowed", "message": "There was a problem with authentication",
			"details": map[string]any{"kind": "Auth", "details": map[string]any{"kind": "InvalidAuth"}}, "cause": None{}}})
		ws.Read(ctx)
	})
	c, err := Dial(context.Background(), url, Options{Orphan: func(e *ServerError) { orphans <- e }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Call(context.Background(), "signin", map[string]any{})
	var se *ServerError
	if !errors.As(err, &se) || se.Code != -32002 {
		t.Fatalf("got %v", err)
	}
	if k := se.DetailKinds(); strings.Join(k, ">") != "NotAllowed>Auth>InvalidAuth" {
		t.Fatalf("kinds %v", k)
	}
	select {
	case o := <-orphans:
		if o.Code != -32700 {
			t.Fatalf("orphan %v", o)
		}
	case <-time.After(time.Second):
		t.Fatal("orphan error not reported")
	}
}

// TestGarbageFailsFast: a frame that is not CBOR cannot be matched to a
// call, so it may have been the reply the call waits for: the connection
// is failed as a protocol violation and the call fails at once, not at its
// deadline. Silence still ends at the deadline with the connection alive.
func TestGarbageFailsFast(t *testing.T) {
	url := fakeServer(t, []string{"cbor"}, func(ctx context.Context, ws *websocket.Conn) {
		for n := 0; ; n++ {
			if _, _, err := ws.Read(ctx); err != nil {
				return
			}
			if n > 0 {
				ws.Write(ctx, websocket.MessageBinary, []byte{0xff, 0x00, 0x13}) // not CBOR
			}
		}
	})
	c, err := Dial(context.Background(), url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := c.Call(ctx, "ping"); !errors.Is(err, context.DeadlineExceeded) || c.Err() != nil {
		t.Fatalf("silence: got %v, connection %v", err, c.Err())
	}
	start := time.Now()
	_, err = c.Call(context.Background(), "ping")
	if !errors.Is(err, ErrClosed) || !errors.Is(err, ErrProtocol) || time.Since(start) > time.Second {
		t.Fatalf("garbage: got %v after %v, want ErrClosed and ErrProtocol at once", err, time.Since(start))
	}
	<-c.Done()
}

func TestServerClosesMidCall(t *testing.T) {
	url := fakeServer(t, []string{"cbor"}, func(ctx context.Context, ws *websocket.Conn) {
		readRequest(t, ctx, ws)
		ws.Close(websocket.StatusTryAgainLater, "server overloaded") // 1013, as SurrealDB under memory pressure
	})
	c, err := Dial(context.Background(), url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.Call(context.Background(), "signin", map[string]any{})
	if !errors.Is(err, ErrClosed) || time.Since(start) > time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
	select {
	case <-c.Done():
	case <-time.After(time.Second):
		t.Fatal("Done not closed")
	}
	if _, err := c.Call(context.Background(), "ping"); !errors.Is(err, ErrClosed) {
		t.Fatalf("call after close: %v", err)
	}
	if !strings.Contains(c.Err().Error(), "overloaded") {
		t.Fatalf("close reason lost: %v", c.Err())
	}
}
