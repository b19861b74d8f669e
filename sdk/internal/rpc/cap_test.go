package rpc

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMessageCap: a reply over maxMessage, produced by the real engine, is
// refused before it is copied into Go memory (in the browser build, its size
// is read on the JS side; natively, coder/websocket stops reading at the
// limit): the socket is closed, the call fails at once, and the heap does
// not grow by the message's size. A reply just under the limit is read.
// The same test runs natively and under js/wasm (make test-go-wasm).
func TestMessageCap(t *testing.T) {
	eachEngine(t, func(t *testing.T, url string) {
		c := rootConn(t, url, Options{})
		// The engine caps one string at 1 MiB: an array of n strings of 1e6.
		repeated := func(n int) string {
			return "RETURN [" + strings.TrimSuffix(strings.Repeat("string::repeat('x', 1000000),", n), ",") + "]"
		}
		got, err := query(t, c, repeated(8), nil) // 8e6 bytes, under 8 MiB
		if a, _ := got.([]any); err != nil || len(a) != 8 {
			t.Fatalf("a reply under the limit: %d strings, %v", len(a), err)
		}

		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err = c.Call(ctx, "query", repeated(9)) // 9e6 bytes

		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrClosed) || time.Since(start) > 10*time.Second {
			t.Fatalf("got %v after %v, want ErrClosed", err, time.Since(start))
		}
		if msg := err.Error(); !strings.Contains(msg, "1009") && !strings.Contains(msg, "read limited") {
			t.Fatalf("the error does not say the message was too big: %v", err)
		}
		// In the browser build nothing of it reaches Go; natively
		// coder/websocket buffers up to the limit (growing its buffer by
		// doubling; more under -race), then stops.
		bound := uint64(maxMessage / 4)
		if runtime.GOOS != "js" {
			bound = 6 * maxMessage
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > bound {
			t.Fatalf("refusing a 9 MB message allocated %d bytes", grew)
		} else {
			t.Logf("refusing a 9 MB message allocated %d bytes", grew)
		}
		select {
		case <-c.Done():
		case <-time.After(2 * time.Second):
			t.Fatal("the connection is still open")
		}
	})
}
