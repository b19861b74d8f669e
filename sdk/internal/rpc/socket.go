package rpc

import "context"

// socket is one WebSocket carrying binary messages. The native build uses
// coder/websocket (socket_notjs.go); the browser build talks to the page's
// WebSocket directly (socket_js.go), which keeps net/http and crypto/tls
// — linked by coder/websocket's js build — out of the .wasm. Both refuse
// messages over the limit given to dialSocket and then close the socket.
type socket interface {
	// Read returns the next binary message; text messages are skipped.
	Read(ctx context.Context) ([]byte, error)
	Write(ctx context.Context, msg []byte) error
	// Close closes with a status code (RFC 6455 §7.4.1) and a reason;
	// CloseNow drops the connection.
	Close(code int, reason string) error
	CloseNow()
	Subprotocol() string
}
