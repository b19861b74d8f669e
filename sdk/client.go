package sdk

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// Client is a connection to one SurrealDB server and the identity signed in
// on it. Its methods are safe for concurrent use; auth changes are applied
// one at a time, so the client's idea of who is signed in always matches the
// server's. When the socket dies the client reconnects and signs the same
// identity in again (see ReconnectPolicy).
type Client struct {
	url     string
	version Version
	opts    options
	key     string // storage key
	events  *dispatcher
	conns   *connListeners
	closed  atomic.Bool

	// authMu is held for the whole of each auth change. Rule: never wait
	// for a connection while holding it (the reconnect loop needs it to
	// replay auth); take a ready connection first, then authMu.
	authMu sync.Mutex

	connMu    sync.Mutex
	conn      *rpc.Conn     // nil while reconnecting
	connReady chan struct{} // closed while conn is usable

	mu      sync.Mutex // guards the fields below
	session *Session
	ns, db  string  // from Use, replayed after a reconnect
	renewal renewal // the armed renewal timer
}

// Dial connects to a SurrealDB /rpc endpoint (ws:// or wss://), learns the
// server version, and restores a session kept in the store. It returns once
// that restore has succeeded or been discarded: every listener then starts
// with EventInitialSession carrying that outcome. A restore that fails for
// network reasons keeps the stored session for the next try; Dial still
// succeeds.
func Dial(ctx context.Context, url string, opts ...Option) (*Client, error) {
	o := defaultOptions()
	for _, fn := range opts {
		fn(&o)
	}
	c := &Client{url: url, opts: o, key: o.storageKey, events: newDispatcher(), conns: newConnListeners()}
	if c.key == "" {
		c.key = DefaultStorageKey(url)
	}
	conn, v, err := c.open(ctx)
	if err != nil {
		c.events.close()
		return nil, err
	}
	c.version = v
	c.publish(conn)
	c.restore(ctx) // its outcome is the session that EventInitialSession reports
	return c, nil
}

// open dials and reads the server version, within the dial timeout.
func (c *Client) open(ctx context.Context) (*rpc.Conn, Version, error) {
	dctx, cancel := context.WithTimeout(ctx, c.opts.dialTimeout)
	defer cancel()
	conn, err := rpc.Dial(dctx, c.url, rpc.Options{})
	if err != nil {
		return nil, Version{}, dialError(err)
	}
	raw, err := callOn(dctx, conn, "version", opOther)
	var v Version
	if err == nil {
		s, _ := raw.(string)
		v, err = ParseVersion(s)
	}
	if err != nil {
		conn.Close()
		return nil, Version{}, err
	}
	return conn, v, nil
}

func dialError(err error) error {
	switch {
	case errors.Is(err, rpc.ErrUnsupported):
		return &Error{Code: CodeUnsupported, Message: "this platform has no WebSocket", Err: err}
	case errors.Is(err, rpc.ErrSubprotocol):
		return &Error{Code: CodeConnectionFailed, Message: "the server does not speak the cbor subprotocol", Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: CodeTimeout, Message: "connecting timed out", Err: err}
	default:
		return &Error{Code: CodeConnectionFailed, Message: "cannot connect: " + err.Error(), Err: err}
	}
}

// Version is the server's version, read at Dial.
func (c *Client) Version() Version { return c.version }

// URL is the endpoint the client dialled.
func (c *Client) URL() string { return c.url }

// StorageKey is the key the session is stored under.
func (c *Client) StorageKey() string { return c.key }

// Session returns a copy of the signed-in session, or nil.
func (c *Client) Session() *Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session == nil {
		return nil
	}
	cp := *c.session
	return &cp
}

// OnAuthStateChange registers fn and returns the function that unregisters
// it. fn first gets EventInitialSession with the session as it is now (nil
// when signed out), then every later change.
func (c *Client) OnAuthStateChange(fn Listener) (unsubscribe func()) {
	c.mu.Lock()
	defer c.mu.Unlock() // held so no change slips between reading the session and subscribing
	var cur *Session
	if c.session != nil {
		cp := *c.session
		cur = &cp
	}
	return c.events.subscribe(fn, cur)
}

// Ping checks that the server answers.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.call(ctx, "ping", opOther)
	return err
}

// ServerVersion asks the server for its version now (Version returns the
// one read at Dial without a round trip).
func (c *Client) ServerVersion(ctx context.Context) (string, error) {
	v, err := c.call(ctx, "version", opOther)
	s, _ := v.(string)
	return s, err
}

// Use selects the namespace and database for the connection's session. An
// empty string keeps the current value. They are selected again after a
// reconnect.
func (c *Client) Use(ctx context.Context, ns, db string) error {
	c.mu.Lock()
	known := c.ns
	c.mu.Unlock()
	if ns == "" && db != "" && known == "" {
		return newError(CodeMissingNamespace, "a database was given without a namespace")
	}
	if _, err := c.call(ctx, "use", opOther, noneIfEmpty(ns), noneIfEmpty(db)); err != nil {
		return err
	}
	c.mu.Lock()
	if ns != "" {
		c.ns = ns
	}
	if db != "" {
		c.db = db
	}
	c.mu.Unlock()
	return nil
}

func noneIfEmpty(s string) any {
	if s == "" {
		return rpc.None{}
	}
	return s
}

// Close closes the connection and stops renewal and reconnecting. The
// stored session is kept: a later Dial restores it. Calls after Close fail
// with ErrConnectionClosed.
func (c *Client) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	c.mu.Lock()
	c.renewal.stop()
	c.mu.Unlock()
	c.connMu.Lock()
	conn := c.conn
	c.openGateLocked() // wake calls waiting for a reconnect; they see closed
	c.connMu.Unlock()
	if conn != nil {
		conn.Close()
	}
	c.setConnState(ConnClosed)
	c.events.close()
	c.conns.close()
	return nil
}

// call runs one RPC with the default timeout and decodes its result,
// waiting for a reconnect if one is under way. It must not be used while
// holding authMu: use callNow there.
func (c *Client) call(ctx context.Context, method string, o op, params ...any) (any, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	conn, err := c.readyConn(ctx)
	if err != nil {
		return nil, err
	}
	return callOn(ctx, conn, method, o, params...)
}

// callNow is call for code holding authMu: no connection means failure now.
func (c *Client) callNow(ctx context.Context, method string, o op, params ...any) (any, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	conn, err := c.currentConn()
	if err != nil {
		return nil, err
	}
	return callOn(ctx, conn, method, o, params...)
}

func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.opts.callTimeout)
}

func callOn(ctx context.Context, conn *rpc.Conn, method string, o op, params ...any) (any, error) {
	raw, err := conn.Call(ctx, method, params...)
	if err != nil {
		return nil, wrapCallError(err, o)
	}
	v, err := rpc.Unmarshal(raw)
	if err != nil {
		return nil, &Error{Code: CodeServerError, Message: "undecodable " + method + " result", Err: err}
	}
	return v, nil
}
