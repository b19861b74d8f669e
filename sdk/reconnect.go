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
func (c *Client) ConnState() ConnState { return c.conn.current() }

// OnConnectionChange registers fn for connection state changes and returns
// the function that unregisters it. fn hears every change made after
// OnConnectionChange returns, in order; each is a change from the state
// before it, so fn never hears the same state twice in a row. ConnState
// and these calls come from the same transitions. Like auth listeners, fn
// runs on its own goroutine and may call the client.
func (c *Client) OnConnectionChange(fn func(ConnState)) (unsubscribe func()) {
	return c.conn.subscribe(fn)
}

// reconnect dials with backoff until a new socket is replayed and
// published, or the client is closed.
func (cn *connection) reconnect() {
	delay := cn.policy.MinDelay
	for {
		time.Sleep(delay - time.Duration(rand.Int64N(int64(delay)/5+1))) // up to 20 % jitter, never longer
		if cn.closed() {
			return
		}
		sock, _, err := cn.open(context.Background())
		if err == nil {
			if err = cn.replay(sock); err == nil {
				return
			}
			sock.Close()
		}
		if cn.closed() {
			return
		}
		delay = min(delay*2, cn.policy.MaxDelay)
	}
}

// replay tells a fresh socket what the server forgot with the old one
// (docs/protocol.md#sessions) — the namespace and database, then the
// identity — and publishes it, all in the auth section, so nothing can
// change the identity between the replay and the publish. The identity
// follows the store first when another client changed it meanwhile (a
// sign-out there signs this client out), then the revival rule. A network
// failure is returned, so the loop tries again.
func (c *Client) replay(sock *rpc.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.callTimeout)
	defer cancel()
	if err := c.turn.enter(ctx); err != nil {
		return err
	}
	defer c.turn.leave()
	if ns, db := c.conn.selection(); ns != "" {
		if _, err := c.authCall(ctx, sock, "use", opOther, ns, noneIfEmpty(db)); isNetworkError(err) {
			return err
		}
	}
	presented, err := c.followIfChanged(ctx, sock)
	if err != nil {
		return err
	}
	if sess := c.sess.get(); sess != nil && !presented {
		if out, err := c.revive(ctx, sock, sess, forReconnect); out == outNetwork {
			return err
		}
	}
	if !c.conn.publish(sock) {
		return errClientClosed()
	}
	return nil
}

func errClientClosed() error { return newError(CodeConnectionClosed, "the client is closed") }
