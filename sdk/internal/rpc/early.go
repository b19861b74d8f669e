package rpc

import "context"

type earlyKey struct{}

// WithEarly returns ctx carrying a socket the page opened before Dial was
// called: in the browser build, the JS object js/bindings.js made while the
// module was still compiling (see socket_js.go, adopt). Dial adopts it when
// it was opened to the URL being dialled; everywhere else it is ignored.
// A context value because it belongs to one dial, the first: reconnects
// dial with a context of their own and open their own socket.
func WithEarly(ctx context.Context, early any) context.Context {
	return context.WithValue(ctx, earlyKey{}, early)
}

func earlyFrom(ctx context.Context) any { return ctx.Value(earlyKey{}) }
