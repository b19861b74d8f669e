package rpc

import "context"

// socket is one WebSocket carrying binary messages. The native build uses
// coder/websocket (socket_notjs.go); the browser build talks to the page's
// WebSocket directly (socket_js.go), which keeps net/http and crypto/tls
// — linked by coder/websocket's js build — out of the .wasm.
type socket interface {
	// Read returns the next binary message; text messages are skipped.
	Read(ctx context.Context) ([]byte, error)
	Write(ctx context.Context, msg []byte) error
	// Close closes normally; CloseNow drops the connection.
	Close() error
	CloseNow()
	Subprotocol() string
}
