package sdk

import (
	"context"
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

	// The connection owns the socket and its state, the sessionState the
	// identity and its renewal; the auth section (turn) orders every change
	// of identity between them (docs/architecture.md#connection, #session,
	// #locks).
	conn    *connection
	sess    *sessionState
	turn    *turn
	closing atomic.Bool
	expiry  atomic.Pointer[Error] // see ExpiryCause
}

// Dial connects to a SurrealDB /rpc endpoint (ws:// or wss://; anything
// else is refused with invalid_params before dialling), learns the server
// version, and restores a session kept in the store. It returns once
// that restore has succeeded or been discarded: every listener then starts
// with EventInitialSession carrying that outcome. A restore that fails for
// network reasons keeps the stored session for the next try; Dial still
// succeeds. A connect failure is connection_failed (timeout when it took
// too long) with a Reason for the likely cause where the platform tells
// (wrong path, nothing listening, TLS to a plain server, a host that does
// not resolve) and a message naming the URL.
func Dial(ctx context.Context, url string, opts ...Option) (*Client, error) {
	if err := checkURL(url); err != nil {
		return nil, err
	}
	o := defaultOptions()
	for _, fn := range opts {
		fn(&o)
	}
	c := &Client{url: url, opts: o, key: o.storageKey, turn: newTurn()}
	if c.key == "" {
		c.key = DefaultStorageKey(url)
	}
	c.conn = newConnection(url, &c.opts)
	c.conn.replay = c.replay
	c.sess = newSessionState(&c.opts, c.key, func() { c.renewDue(context.Background()) })
	c.sess.bound = c.conn.selected
	sock, v, err := c.conn.open(ctx)
	if err != nil {
		c.conn.close()
		c.sess.close()
		return nil, err
	}
	c.version = v
	c.conn.publish(sock)
	c.restore(ctx) // its outcome is the session that EventInitialSession reports
	return c, nil
}

// Version is the server's version, read at Dial.
func (c *Client) Version() Version { return c.version }

// URL is the endpoint the client dialled.
func (c *Client) URL() string { return c.url }

// StorageKey is the key the session is stored under.
func (c *Client) StorageKey() string { return c.key }

// Session returns a copy of the signed-in session, or nil.
func (c *Client) Session() *Session { return c.sess.get() }

// OnAuthStateChange registers fn and returns the function that unregisters
// it. fn first gets EventInitialSession with the session as it is now (nil
// when signed out), then every later change.
func (c *Client) OnAuthStateChange(fn Listener) (unsubscribe func()) { return c.sess.subscribe(fn) }

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

// Use selects the namespace and database for the connection's session;
// an empty string keeps the current value. The selection belongs to the
// connection, not to the session (which Use does not change): it is
// selected again after a reconnect, and kept across sign-out.
//
// The server selects a token's NS and DB claims at every sign-in and
// authenticate (both engines), so a signed-in namespace, database or
// record user cannot select another namespace (or, for the last two,
// database) than its token names: Use refuses that with not_allowed rather
// than have a renewal silently switch back. Root, and a guest, may select
// anything; a sign-in then selects what its token names.
func (c *Client) Use(ctx context.Context, ns, db string) error {
	if known, _ := c.conn.selection(); ns == "" && db != "" && known == "" {
		return newError(CodeMissingNamespace, "a database was given without a namespace")
	}
	return c.exclusive(ctx, needLive, func(ctx context.Context, sock *rpc.Conn) error {
		if err := boundBy(c.sess.get(), ns, db); err != nil {
			return err
		}
		if _, err := c.authCall(ctx, sock, "use", opOther, noneIfEmpty(ns), noneIfEmpty(db)); err != nil {
			return err
		}
		c.conn.selected(ns, db)
		return nil
	})
}

// boundBy refuses a selection that sess's token claims contradict.
func boundBy(sess *Session, ns, db string) error {
	switch {
	case sess == nil:
	case sess.Namespace != "" && ns != "" && ns != sess.Namespace:
		return newError(CodeNotAllowed, "This session's token is bound to namespace "+quote(sess.Namespace)+": sign in as a user of "+quote(ns)+" to use it")
	case sess.Database != "" && db != "" && db != sess.Database:
		return newError(CodeNotAllowed, "This session's token is bound to database "+quote(sess.Database)+": sign in as a user of "+quote(db)+" to use it")
	}
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
	if c.closing.Swap(true) {
		return nil
	}
	c.conn.close()
	c.sess.close()
	return nil
}

// call runs one RPC that changes no identity, within the call timeout,
// waiting for a reconnect if one is under way.
func (c *Client) call(ctx context.Context, method string, o op, params ...any) (any, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	sock, err := c.conn.wait(ctx)
	if err != nil {
		return nil, err
	}
	return callOn(ctx, sock, method, o, params...)
}

func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.opts.callTimeout)
}

func callOn(ctx context.Context, conn *rpc.Conn, method string, o op, params ...any) (any, error) {
	raw, err := conn.Call(ctx, method, params...)
	return callResult(method, o, raw, err)
}

// callResult is the decoded result of a call, or its error as an *Error.
func callResult(method string, o op, raw []byte, err error) (any, error) {
	if err != nil {
		return nil, wrapCallError(err, o)
	}
	v, err := rpc.Unmarshal(raw)
	if err != nil {
		return nil, &Error{Code: CodeServerError, Message: "undecodable " + method + " result", Err: err}
	}
	return v, nil
}
