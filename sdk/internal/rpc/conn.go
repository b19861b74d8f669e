// Package rpc is SurrealDB's WebSocket RPC with the CBOR format: one socket,
// many concurrent calls matched by request id, and a read loop that fails
// every pending call when the socket dies.
package rpc

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/fxamacker/cbor/v2"
)

// Subprotocol is the WebSocket subprotocol that selects CBOR on the server.
// Without it SurrealDB falls back to JSON, which loses types (PROTOCOL.md §8.1).
const Subprotocol = "cbor"

// readLimit bounds one message. coder/websocket's default of 32 KiB is too
// small for an info() record with a few large fields.
const readLimit = 8 << 20

var (
	// ErrClosed is returned by calls on a connection that is closed or died.
	ErrClosed = errors.New("rpc: connection closed")
	// ErrSubprotocol means the server did not agree to the cbor subprotocol.
	ErrSubprotocol = errors.New("rpc: server did not accept the cbor subprotocol")
	// ErrUnsupported means the platform cannot open a WebSocket (no global WebSocket in js/wasm).
	ErrUnsupported = errors.New("rpc: WebSocket is not available on this platform")
)

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
	result cbor.RawMessage
	err    error
}

type request struct {
	ID     string `cbor:"id"`
	Method string `cbor:"method"`
	Params []any  `cbor:"params"`
}

type response struct {
	ID     any             `cbor:"id"`
	Result cbor.RawMessage `cbor:"result"`
	Error  *ServerError    `cbor:"error"`
}

// Options configure Dial. The zero value is fine.
type Options struct {
	// Orphan receives errors that arrive without a request id (the server
	// could not parse a request). Called from the read loop: keep it short.
	Orphan func(*ServerError)
}

// Dial opens a connection and starts its read loop. ctx bounds the dial only.
func Dial(ctx context.Context, url string, opts Options) (*Conn, error) {
	ws, err := dialSocket(ctx, url)
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
// CBOR result is returned undecoded; use Unmarshal on it.
func (c *Conn) Call(ctx context.Context, method string, params ...any) (cbor.RawMessage, error) {
	if params == nil {
		params = []any{}
	}
	id := strconv.FormatUint(c.nextID.Add(1), 10)
	msg, err := encMode.Marshal(request{ID: id, Method: method, Params: params})
	if err != nil {
		return nil, fmt.Errorf("rpc: encode %s: %w", method, err)
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
	return c.ws.Close()
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
		c.err = fmt.Errorf("%w: %v", ErrClosed, cause)
	}
	pending := c.pending
	c.pending = map[string]chan reply{}
	close(c.done)
	c.mu.Unlock()
	for _, ch := range pending {
		ch <- reply{err: c.err}
	}
}

func (c *Conn) readLoop() {
	for {
		data, err := c.ws.Read(context.Background())
		if err != nil {
			c.fail(err)
			c.ws.CloseNow()
			return
		}
		c.dispatch(data)
	}
}

func (c *Conn) dispatch(data []byte) {
	var res response
	if err := decMode.Unmarshal(data, &res); err != nil {
		// A reply we cannot read cannot be matched to its call either; the
		// caller's context bounds the wait.
		if c.orphan != nil {
			c.orphan(&ServerError{Code: -32700, Message: "undecodable response: " + err.Error()})
		}
		return
	}
	id := idString(res.ID)
	if id == "" {
		if res.Error != nil && c.orphan != nil {
			c.orphan(res.Error)
		}
		return // live notifications are not an auth client's business
	}
	c.mu.Lock()
	ch, ok := c.pending[id]
	delete(c.pending, id)
	c.mu.Unlock()
	if !ok {
		return // the caller gave up (context) before the reply came
	}
	if res.Error != nil {
		ch <- reply{err: res.Error}
		return
	}
	ch <- reply{result: res.Result}
}

func idString(id any) string {
	switch v := id.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	default:
		return ""
	}
}
