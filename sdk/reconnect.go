package sdk

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// ConnState is the connection's state as a page or program may show it.
type ConnState string

// The connection states.
const (
	ConnConnected    ConnState = "connected"
	ConnReconnecting ConnState = "reconnecting"
	ConnClosed       ConnState = "closed"
)

// ConnState reports the connection's state now.
func (c *Client) ConnState() ConnState {
	if c.closed.Load() {
		return ConnClosed
	}
	c.connMu.Lock()
	defer c.connMu.Unlock()
	switch {
	case c.conn != nil && c.conn.Err() == nil:
		return ConnConnected
	case c.opts.reconnect.Disabled:
		return ConnClosed
	default:
		return ConnReconnecting
	}
}

// OnConnectionChange registers fn for connection state changes and returns
// the function that unregisters it. Like auth listeners, fn runs on its own
// goroutine and may call the client.
func (c *Client) OnConnectionChange(fn func(ConnState)) (unsubscribe func()) {
	return c.conns.subscribe(fn)
}

// publish makes conn the live connection and starts watching it.
func (c *Client) publish(conn *rpc.Conn) {
	c.connMu.Lock()
	c.conn = conn
	c.openGateLocked()
	c.connMu.Unlock()
	go c.watch(conn)
}

// openGateLocked releases everyone waiting in readyConn, once. connMu is held.
func (c *Client) openGateLocked() {
	if c.connReady == nil {
		c.connReady = make(chan struct{})
	}
	select {
	case <-c.connReady:
	default:
		close(c.connReady)
	}
}

// currentConn is the live connection, or ErrConnectionClosed now.
func (c *Client) currentConn() (*rpc.Conn, error) {
	if c.closed.Load() {
		return nil, newError(CodeConnectionClosed, "the client is closed")
	}
	c.connMu.Lock()
	defer c.connMu.Unlock()
	if c.conn == nil {
		return nil, newError(CodeConnectionClosed, "the connection is down; reconnecting")
	}
	return c.conn, nil
}

// readyConn waits, within ctx and the policy's Wait, for a live connection.
func (c *Client) readyConn(ctx context.Context) (*rpc.Conn, error) {
	c.connMu.Lock()
	ready := c.connReady
	c.connMu.Unlock()
	select {
	case <-ready:
		return c.currentConn()
	default:
	}
	if c.opts.reconnect.Disabled {
		return c.currentConn()
	}
	timer := time.NewTimer(c.opts.reconnect.Wait)
	defer timer.Stop()
	select {
	case <-ready:
		return c.currentConn()
	case <-ctx.Done():
		return nil, &Error{Code: CodeConnectionClosed, Message: "the connection is down; still reconnecting", Err: ctx.Err()}
	case <-timer.C:
		return nil, newError(CodeConnectionClosed, "the connection is down; still reconnecting")
	}
}

// watch waits for conn to die, then reconnects unless the client is closed.
func (c *Client) watch(conn *rpc.Conn) {
	<-conn.Done()
	if c.closed.Load() {
		return
	}
	c.connMu.Lock()
	if c.conn != conn {
		c.connMu.Unlock()
		return
	}
	c.conn = nil
	c.connReady = make(chan struct{})
	c.connMu.Unlock()
	c.mu.Lock()
	c.renewal.stop() // renewal needs a connection; the replay re-arms it
	c.mu.Unlock()
	if c.opts.reconnect.Disabled {
		c.setConnState(ConnClosed)
		return
	}
	c.setConnState(ConnReconnecting)
	c.reconnect()
}

// reconnect dials with backoff until it succeeds or the client is closed,
// replays use and auth on the new socket, then publishes it.
func (c *Client) reconnect() {
	delay := c.opts.reconnect.MinDelay
	for !c.closed.Load() {
		sleep := delay - time.Duration(rand.Int64N(int64(delay)/5+1)) // up to 20 % jitter, never longer
		time.Sleep(sleep)
		if c.closed.Load() {
			return
		}
		conn, _, err := c.open(context.Background())
		if err == nil {
			if err = c.replay(conn); err == nil {
				if c.closed.Load() {
					conn.Close()
					return
				}
				c.publish(conn)
				c.setConnState(ConnConnected)
				return
			}
			conn.Close()
		}
		delay = min(delay*2, c.opts.reconnect.MaxDelay)
	}
}

// replay restores on a fresh socket what the server forgot with the old
// one (PROTOCOL.md §8.12): the namespace and database, then the identity —
// the same token while it is valid, else the refresh token, else none. A
// network error is returned so the loop tries again; an identity the
// server refuses ends as SESSION_EXPIRED.
func (c *Client) replay(conn *rpc.Conn) error {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.callTimeout)
	defer cancel()
	c.mu.Lock()
	ns, db := c.ns, c.db
	c.mu.Unlock()
	if ns != "" {
		if _, err := callOn(ctx, conn, "use", opOther, ns, noneIfEmpty(db)); err != nil && isNetworkError(err) {
			return err
		}
	}
	sess := c.Session()
	if sess == nil {
		return nil
	}
	err := c.reauthenticate(ctx, conn, sess)
	if err != nil && isNetworkError(err) {
		return err
	}
	if err != nil {
		c.dropSession(EventSessionExpired)
		return nil
	}
	c.rearm()
	return nil
}

// reauthenticate signs sess in on conn: the token while it is valid, else
// the refresh token (3.x), else it fails with ErrSessionExpired.
func (c *Client) reauthenticate(ctx context.Context, conn *rpc.Conn, sess *Session) error {
	if c.tokenValid(sess) {
		_, err := callOn(ctx, conn, "authenticate", opAuthenticate, sess.Token)
		if err == nil || isNetworkError(err) || sess.RefreshToken == "" {
			return err
		}
	}
	if sess.RefreshToken != "" && c.version.hasRefresh() {
		return c.refreshOn(ctx, conn, Tokens{Access: sess.Token, Refresh: sess.RefreshToken}, EventTokenRefreshed)
	}
	return newError(CodeSessionExpired, "the session's token expired while the connection was down")
}

// tokenValid is true while the server would still accept sess.Token; the
// server accepts a token through its exp second.
func (c *Client) tokenValid(sess *Session) bool {
	return sess.ExpiresAt.IsZero() || c.opts.clock.Now().Unix() <= sess.ExpiresAt.Unix()
}

// connListeners delivers connection states in order on one goroutine.
type connListeners struct {
	d *dispatcher
}

func newConnListeners() *connListeners { return &connListeners{d: newDispatcher()} }

func (l *connListeners) subscribe(fn func(ConnState)) func() {
	return l.d.subscribeRaw(func(ev Event, _ *Session) { fn(ConnState(ev)) })
}

func (l *connListeners) close() { l.d.close() }

func (c *Client) setConnState(s ConnState) { c.conns.d.emit(Event(s), nil) }
