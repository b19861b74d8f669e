//go:build !js

package rpc

import (
	"bytes"
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

// sizedReply is a reply to id whose frame is exactly size bytes when size
// allows one (a result of bytes), else size bytes of garbage.
func sizedReply(id string, size int) []byte {
	head := appendText(appendText(appendText(appendHead(nil, majorMap, 2), "id"), id), "result")
	for n := size - len(head) - 1; n >= 0 && n >= size-len(head)-9; n-- {
		f := append(appendHead(append([]byte(nil), head...), majorBytes, uint64(n)), bytes.Repeat([]byte{'x'}, n)...)
		if len(f) == size {
			return f
		}
	}
	return bytes.Repeat([]byte{0xff}, size)
}

// capServer answers every request with a frame of the size the request's
// first parameter asks for. It lives as long as the test binary.
func capServer() string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"cbor"}})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		for {
			_, data, err := ws.Read(r.Context())
			if err != nil {
				return
			}
			v, _ := Unmarshal(data)
			req := v.(map[string]any)
			size := req["params"].([]any)[0].(int64)
			ws.Write(r.Context(), websocket.MessageBinary, sizedReply(req["id"].(string), int(size)))
		}
	}))
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/rpc"
}

// TestMessageCapBoundary: natively, a message of exactly the limit is read
// and one byte more closes the connection with 1009.
func TestMessageCapBoundary(t *testing.T) {
	capOnce.Do(func() { capURL = capServer() })
	url := capURL
	for _, tc := range []struct {
		size int
		ok   bool
	}{{maxMessage, true}, {maxMessage + 1, false}} {
		c, err := Dial(context.Background(), url, Options{})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := c.Call(context.Background(), "size", int64(tc.size))
		if tc.ok && (err != nil || len(raw) < maxMessage-16) {
			t.Fatalf("%d bytes: %v", tc.size, err)
		}
		if !tc.ok && (!errors.Is(err, ErrClosed) || errors.Is(err, ErrProtocol)) {
			t.Fatalf("%d bytes: got %v, want the connection closed for size", tc.size, err)
		}
		c.Close()
	}
}

var (
	capOnce sync.Once
	capURL  string
)

// FuzzMessageCap: with the limit lowered to 512 bytes, a reply of any size
// up to it reaches its call and any larger one closes the connection (not
// as a protocol violation: it was never read).
func FuzzMessageCap(f *testing.F) {
	const limit = 512
	for _, n := range []uint16{0, 1, 20, 511, 512, 513, 600, 4096} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, size uint16) {
		capOnce.Do(func() { capURL = capServer() })
		c, err := Dial(context.Background(), capURL, Options{maxMessage: limit})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		raw, err := c.Call(ctx, "size", int64(size))
		r := sizedReply("1", int(size))
		switch {
		case int(size) > limit:
			if !errors.Is(err, ErrClosed) || errors.Is(err, ErrProtocol) {
				t.Fatalf("%d bytes: got %v, want closed for size", size, err)
			}
		case len(r) > 0 && r[0] != 0xff:
			if err != nil || len(raw) > int(size) {
				t.Fatalf("%d bytes: %v", size, err)
			}
		default: // too small for a reply: garbage, a protocol violation
			if !errors.Is(err, ErrProtocol) {
				t.Fatalf("%d bytes of garbage: got %v", size, err)
			}
		}
	})
}
