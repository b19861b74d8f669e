package sdk

import (
	"context"
	"errors"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// turn is the exclusive auth section: one identity change at a time —
// sign-in, refresh, sign-out, renewal, recovery, Sync, and the replay on a
// new socket — so that the identity the client holds and the one the
// server's session holds move together. It is a channel rather than a
// mutex so that waiting for it respects the caller's context. See
// docs/architecture.md#locks for the order of locks.
type turn chan struct{}

func newTurn() turn { return make(turn, 1) }

func (t turn) enter(ctx context.Context) error {
	select {
	case t <- struct{}{}:
		return nil
	default:
	}
	select {
	case t <- struct{}{}:
		return nil
	case <-ctx.Done():
		return &Error{Code: CodeTimeout, Message: "waiting for another auth change to finish", Err: ctx.Err()}
	}
}

func (t turn) leave() { <-t }

// need says what the section wants of the connection.
type need uint8

const (
	// needLive waits (within the reconnect Wait) for a live socket and
	// fails without one.
	needLive need = iota
	// liveOrNone waits like needLive, then runs without a socket rather
	// than fail: a sign-out must work offline.
	liveOrNone
	// liveNow takes the socket that is live now, or fails at once: timers
	// and page events, which the replay catches up on.
	liveNow
)

// exclusive runs fn in the auth section with the socket it waited for,
// which is still the live one when fn starts (nil only for liveOrNone).
// ctx gets the call timeout if it has no deadline: one timer per call.
// Inside fn nothing may wait for a connection: the replay that brings one
// needs the section.
func (c *Client) exclusive(ctx context.Context, n need, fn func(ctx context.Context, sock *rpc.Conn) error) error {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	for {
		var err error
		if n == liveNow {
			_, err = c.conn.live()
		} else {
			_, err = c.conn.wait(ctx)
		}
		if err != nil && n != liveOrNone {
			return err
		}
		if err := c.turn.enter(ctx); err != nil {
			return err
		}
		sock, err := c.conn.live()
		if err == nil || n == liveOrNone {
			err = fn(ctx, sock)
			c.turn.leave()
			return err
		}
		c.turn.leave()
		if n == liveNow || c.conn.closed() || ctx.Err() != nil {
			return err
		}
		// The socket died while we queued: wait for its successor.
	}
}

// authCall is callOn for a call that changes the server session's identity
// or selection. When its outcome is unknown — no reply in time, or a reply
// that cannot be read — the server may have applied it or not, so the
// socket is reset and the reconnect replays the client's identity: client
// and server never disagree on who is signed in.
func (c *Client) authCall(ctx context.Context, sock *rpc.Conn, method string, o op, params ...any) (any, error) {
	v, err := callOn(ctx, sock, method, o, params...)
	if err != nil && outcomeUnknown(err) {
		c.conn.reset(sock)
	}
	return v, err
}

// outcomeUnknown is true for a failure after which the server's state is
// unknown: anything but the server's own answer or a socket already dead.
func outcomeUnknown(err error) bool {
	var se *rpc.ServerError
	return !errors.As(err, &se) && !errors.Is(err, ErrConnectionClosed)
}
