package sdk

import (
	"context"
	"errors"
	"sync"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// turn is the auth section: one identity change at a time — sign-in,
// refresh, sign-out, renewal, recovery, Sync, and the replay on a new
// socket — so that the identity the client holds and the one the server's
// session holds move together. Data calls (Query, Info) share it: any
// number run at once, pipelined on the socket, but never while an identity
// change is under way, so none runs in the clean switch's gap between
// invalidate and authenticate, where it would run as a guest.
//
// It is phase-fair: an auth change waits for the data calls in flight, and
// data calls that arrive while one waits or runs go in as one batch when it
// leaves, before the next auth change. Neither side starves the other.
// Waiting respects the caller's context. See docs/architecture.md#locks
// for the order of locks.
type turn struct {
	mu      sync.Mutex
	writer  bool          // an auth change holds the section
	queued  int           // auth changes waiting
	readers int           // data calls in (admitted batches included)
	waiting int           // data calls waiting for the next batch
	batch   chan struct{} // closed when the waiting data calls are let in
	wake    chan struct{} // closed and replaced when auth changes may look again
}

func newTurn() *turn { return &turn{batch: make(chan struct{}), wake: make(chan struct{})} }

// enter takes the section for an auth change.
func (t *turn) enter(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.queued++
	for t.writer || t.readers > 0 {
		wake := t.wake
		t.mu.Unlock()
		select {
		case <-wake:
			t.mu.Lock()
		case <-ctx.Done():
			t.mu.Lock()
			t.queued--
			if !t.writer && t.queued == 0 {
				t.admit() // data calls held back for us may go
			}
			return &Error{Code: CodeTimeout, Message: "waiting for another auth change to finish", Err: ctx.Err()}
		}
	}
	t.queued--
	t.writer = true
	return nil
}

func (t *turn) leave() {
	t.mu.Lock()
	t.writer = false
	t.admit()
	t.loosen()
	t.mu.Unlock()
}

// enterShared takes the section for a data call, alongside other data
// calls.
func (t *turn) enterShared(ctx context.Context) error {
	t.mu.Lock()
	if !t.writer && t.queued == 0 {
		t.readers++
		t.mu.Unlock()
		return nil
	}
	t.waiting++
	batch := t.batch
	t.mu.Unlock()
	select {
	case <-batch:
		return nil // admitted: counted in readers by admit
	case <-ctx.Done():
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-batch: // admitted meanwhile: give the place back
		t.leaveSharedLocked()
	default:
		t.waiting--
	}
	return &Error{Code: CodeTimeout, Message: "waiting for an auth change to finish", Err: ctx.Err()}
}

func (t *turn) leaveShared() {
	t.mu.Lock()
	t.leaveSharedLocked()
	t.mu.Unlock()
}

func (t *turn) leaveSharedLocked() {
	t.readers--
	if t.readers == 0 {
		t.loosen()
	}
}

// admit lets the waiting data calls in as one batch. t.mu is held.
func (t *turn) admit() {
	if t.waiting == 0 {
		return
	}
	t.readers += t.waiting
	t.waiting = 0
	close(t.batch)
	t.batch = make(chan struct{})
}

// loosen wakes the waiting auth changes to look again. t.mu is held.
func (t *turn) loosen() {
	close(t.wake)
	t.wake = make(chan struct{})
}

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

// shared runs fn as a data call: with the live socket, alongside other
// data calls, never during an auth change (see turn). Like exclusive it
// waits for a reconnect before entering, never inside.
func (c *Client) shared(ctx context.Context, fn func(ctx context.Context, sock *rpc.Conn) error) error {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	for {
		if _, err := c.conn.wait(ctx); err != nil {
			return err
		}
		if err := c.turn.enterShared(ctx); err != nil {
			return err
		}
		sock, err := c.conn.live()
		if err == nil {
			err = fn(ctx, sock)
			c.turn.leaveShared()
			return err
		}
		c.turn.leaveShared()
		if c.conn.closed() || ctx.Err() != nil {
			return err
		}
		// The socket died while an auth change held the section: wait for its successor.
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
