//go:build !js

package faultproxy

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// echo is a WebSocket server that sends every message back.
func echo(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "" || strings.HasPrefix(r.Host, "example") {
			http.Error(w, "bad host", http.StatusBadRequest)
			return
		}
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionContextTakeover})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		for {
			typ, b, err := ws.Read(r.Context())
			if err != nil {
				return
			}
			if ws.Write(r.Context(), typ, b) != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/rpc"
}

func dialVia(t *testing.T, p *Proxy) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, p.URL, &websocket.DialOptions{CompressionMode: websocket.CompressionContextTakeover})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.CloseNow() })
	return ws
}

func roundTrip(ws *websocket.Conn, msg string, wait time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := ws.Write(ctx, websocket.MessageBinary, []byte(msg)); err != nil {
		return "", err
	}
	_, b, err := ws.Read(ctx)
	return string(b), err
}

func TestForwardDropKill(t *testing.T) {
	p, err := Start(echo(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	seen := make(chan Frame, 16)
	p.SetRule(func(f Frame) Action {
		seen <- f
		if bytes.Equal(f.Payload, []byte("drop me")) && !f.ToServer {
			return Action{Drop: true}
		}
		if bytes.Equal(f.Payload, []byte("kill")) {
			return Action{Kill: true}
		}
		return Action{}
	})
	ws := dialVia(t, p)
	if got, err := roundTrip(ws, "hello", 10*time.Second); err != nil || got != "hello" {
		t.Fatalf("forwarded %q %v", got, err)
	}
	if f := <-seen; !f.ToServer || f.Conn != 1 || string(f.Payload) != "hello" {
		t.Fatalf("rule saw %+v (the payload must be unmasked, extensions stripped)", f)
	}
	<-seen // the echo
	if _, err := roundTrip(ws, "drop me", 300*time.Millisecond); err == nil {
		t.Fatal("a dropped reply arrived")
	}
	ws2 := dialVia(t, p)
	if _, err := roundTrip(ws2, "kill", 10*time.Second); err == nil {
		t.Fatal("a killed connection answered")
	}
	if p.Accepted() != 2 {
		t.Fatalf("accepted %d", p.Accepted())
	}
}

func TestHoldAndDelay(t *testing.T) {
	p, err := Start(echo(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.Hold()
	dialed := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ws, _, err := websocket.Dial(ctx, p.URL, nil)
		if err == nil {
			ws.CloseNow()
		}
		dialed <- err
	}()
	for p.Accepted() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-dialed:
		t.Fatalf("a held connection was upgraded: %v", err)
	default:
	}
	p.Release()
	if err := <-dialed; err != nil {
		t.Fatal(err)
	}
	p.SetRule(func(f Frame) Action { return Action{Delay: 200 * time.Millisecond} })
	ws := dialVia(t, p)
	start := time.Now()
	if _, err := roundTrip(ws, "slow", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Fatalf("both frames were delayed 200 ms, yet the round trip took %v", d)
	}
	p.KillAll()
	if _, err := roundTrip(ws, "after kill", 10*time.Second); err == nil {
		t.Fatal("KillAll left the connection alive")
	}
}
