package sdk

import (
	"context"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// WithEarlySocket returns a context for Dial that carries a WebSocket the
// page opened before the client existed: the browser build's js/bindings.js
// opens it, and sends the version request, while the wasm downloads and
// compiles (docs/architecture.md#bridge). Dial adopts it for its first
// connection if it was opened to the URL dialled, and still decides
// everything about it (the subprotocol, a failure and its error); a
// reconnect opens its own. Outside the browser build it is ignored.
func WithEarlySocket(ctx context.Context, socket any) context.Context {
	return rpc.WithEarly(ctx, socket)
}
