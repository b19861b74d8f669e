// Package rpc is SurrealDB's WebSocket RPC with the CBOR format: one socket,
// many concurrent calls matched by request id, and a read loop that fails
// every pending call when the socket dies.
package rpc

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
)

// Subprotocol is the WebSocket subprotocol that selects CBOR on the server.
// Without it SurrealDB falls back to JSON, which loses types (see
// docs/protocol.md#transport).
const Subprotocol = "cbor"

// Conn is one WebSocket connection to a SurrealDB /rpc endpoint. Its methods
// are safe for concurrent use.
type Conn struct {
	ws     socket
	nextID atomic.Uint64

	mu      sync.Mutex
	pending map[string]chan reply
	err     error // set once, when the connection dies
	done    chan struct{}

	orphan func(*ServerError)
}

type reply struct {
	result []byte
	err    error
}

// Options configure Dial. The zero value is fine.
type Options struct {
	// Orphan receives errors that arrive without a request id (the server
	// could not parse a request). Called from the read loop: keep it short.
	Orphan func(*ServerError)

	maxMessage int // tests lower it; 0 means maxMessage
}

// Dial opens a connection and starts its read loop. ctx bounds the dial only.
func Dial(ctx context.Context, url string, opts Options) (*Conn, error) {
	limit := opts.maxMessage
	if limit <= 0 {
		limit = maxMessage
	}
	ws, err := dialSocket(ctx, url, limit)
	if err != nil {
		return nil, err
	}
	if ws.Subprotocol() != Subprotocol {
		ws.CloseNow()
		return nil, ErrSubprotocol
	}
	c := &Conn{
		ws:      ws,
		pending: make(map[string]chan reply),
		done:    make(chan struct{}),
		orphan:  opts.Orphan,
	}
	go c.readLoop()
	return c, nil
}

// Call sends method with params and waits for its reply or for ctx. The raw
// CBOR result is returned undecoded; use Unmarshal on it. A reply that
// cannot be read fails the call with ErrMalformedReply; a parameter the
// encoder cannot write, with ErrUnsupportedValue.
func (c *Conn) Call(ctx context.Context, method string, params ...any) ([]byte, error) {
	return c.call(ctx, nil, method, params)
}

// CallIn is Call on one of the connection's other server sessions (3.x
// multi-session: attach, then every call names it, then detach; see
// docs/protocol.md#sessions). The reply is routed by its id like any other;
// the session the server echoes is not read. Servers without multi-session
// ignore the field and act on the connection's own session, so the caller
// must know the server has them.
func (c *Conn) CallIn(ctx context.Context, session UUID, method string, params ...any) ([]byte, error) {
	return c.call(ctx, &session, method, params)
}

func (c *Conn) call(ctx context.Context, session *UUID, method string, params []any) ([]byte, error) {
	id := strconv.FormatUint(c.nextID.Add(1), 10)
	msg, err := encodeRequestIn(id, method, params, session)
	if err != nil {
		return nil, err
	}
	ch := make(chan reply, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return nil, c.err
	}
	c.pending[id] = ch
	c.mu.Unlock()
	defer c.forget(id)

	if err := c.ws.Write(ctx, msg); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		c.fail(err)
		return nil, c.Err()
	}
	select {
	case r := <-ch:
		return r.result, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *Conn) forget(id string) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// Done is closed when the connection has died or was closed.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err is nil while the connection lives, then an error wrapping ErrClosed.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close closes the socket normally and fails every pending call.
func (c *Conn) Close() error {
	c.fail(nil)
	return c.ws.Close(statusNormal, "")
}

// fail marks the connection dead (once) and releases every waiting call.
func (c *Conn) fail(cause error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	if cause == nil {
		c.err = ErrClosed
	} else {
		c.err = wrap(ErrClosed, cause)
	}
	pending := c.pending
	c.pending = map[string]chan reply{}
	close(c.done)
	c.mu.Unlock()
	for _, ch := range pending {
		ch <- reply{err: c.err}
	}
}

// WebSocket close codes (RFC 6455 §7.4.1).
const (
	statusNormal        = 1000
	statusProtocolError = 1002
)

func (c *Conn) readLoop() {
	for {
		data, err := c.ws.Read(context.Background())
		if err != nil {
			c.fail(err)
			c.ws.CloseNow()
			return
		}
		if err := c.dispatch(data); err != nil {
			// A frame that matches no call may have been the reply some
			// call waits for: fail them all now rather than at their
			// deadlines, and let the client reconnect.
			c.fail(wrap(ErrProtocol, err))
			c.ws.Close(statusProtocolError, "malformed reply")
			return
		}
	}
}

// dispatch routes one frame by its id before decoding anything else. It
// returns an error only for a frame it cannot route at all.
func (c *Conn) dispatch(frame []byte) error {
	env, err := parseEnvelope(frame)
	if env.id == "" {
		if err != nil {
			return err
		}
		if env.errObj != nil && c.orphan != nil {
			c.orphan(orphanError(env.errObj))
		}
		return nil // live notifications are not an auth client's business
	}
	c.mu.Lock()
	ch, ok := c.pending[env.id]
	delete(c.pending, env.id)
	c.mu.Unlock()
	if !ok {
		return nil // the caller gave up (context) before the reply came: nothing of it is decoded
	}
	ch <- answer(env, err)
	return nil
}

// answer is what a waiting call gets for its reply.
func answer(env envelope, err error) reply {
	switch {
	case err != nil:
		return reply{err: malformed(err)}
	case env.errObj != nil:
		se, err := decodeServerError(env.errObj)
		if err != nil {
			return reply{err: malformed(err)}
		}
		return reply{err: se}
	case env.result == nil:
		return reply{err: malformed(reason("rpc: a reply with neither result nor error"))}
	}
	return reply{result: env.result}
}

func orphanError(item []byte) *ServerError {
	se, err := decodeServerError(item)
	if err != nil {
		return &ServerError{Code: -32700, Message: "undecodable error without an id: " + err.Error()}
	}
	return se
}
