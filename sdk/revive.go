package sdk

import (
	"context"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// why names the situation a session is revived in; each has its order of
// steps and its socket (the table in docs/architecture.md#session).
type why uint8

const (
	forRenewal   why = iota // the token is due: a new one is wanted (live socket)
	forRecovery             // the server session expired silently (live socket)
	forReconnect            // a fresh socket knows nothing yet
	forRestore              // the stored session at Dial: announced by INITIAL_SESSION, not events
)

// outcome is what a revival came to.
type outcome uint8

const (
	outKept            outcome = iota // nothing needed doing
	outRefreshed                      // a new pair: the refresh token spent, or another client's newer pair adopted
	outReauthenticated                // the same token presented again and accepted
	outExpired                        // nothing could revive it: signed out, SESSION_EXPIRED
	outNetwork                        // the socket failed: nothing is known; try again later
)

// revive is the revival rule, the one place that decides how a session
// lives on: refresh first when a new token is wanted, present the token
// first otherwise (it spends nothing), and ask the token source
// (WithTokenSource) when neither can extend the session; a step the server
// refuses falls through to the next; when none applies or all are refused
// the session is over. A network failure stops it with nothing changed.
// The caller is in the auth section and sess is the session to revive (the
// current one, or the stored one at restore: nil when nothing is stored,
// so only the token source can give one).
func (c *Client) revive(ctx context.Context, sock *rpc.Conn, sess *Session, w why) (outcome, error) {
	steps := []step{c.reviveByToken, c.reviveByRefresh, c.reviveBySource}
	if w == forRenewal {
		if at, ok := c.sess.renewAt(sess); !ok || c.opts.clock.Now().Before(at) {
			if ok {
				c.sess.retryAt(at) // the timer woke early (it runs in steps): look again then
			}
			return outKept, nil
		}
		steps = []step{c.reviveByRefresh, c.reviveBySource, c.reviveByToken}
	}
	var cause error // the last refusal: why the session ends, if it does
	for _, st := range steps {
		out, err := st(ctx, sock, sess, w)
		if out != outExpired {
			return out, err
		}
		if err != nil {
			cause = err
		}
	}
	e := expiryError(cause)
	c.expire(ctx, sock, w, e)
	return outExpired, e
}

// step is one way of reviving a session. outExpired means it did not apply
// (nil error) or was refused (the refusal).
type step func(ctx context.Context, sock *rpc.Conn, sess *Session, w why) (outcome, error)

// reviveByRefresh spends the refresh token (under the store's lock, adopting
// another client's newer pair instead when there is one). outExpired means
// it did not apply or was refused.
func (c *Client) reviveByRefresh(ctx context.Context, sock *rpc.Conn, sess *Session, w why) (outcome, error) {
	if sess == nil || sess.RefreshToken == "" || !c.version.hasRefresh() {
		return outExpired, nil
	}
	ev := EventTokenRefreshed
	if w == forRestore {
		ev = ""
	}
	err := c.refreshShared(ctx, sock, sess, ev)
	switch {
	case err == nil:
		return outRefreshed, nil
	case isNetworkError(err):
		return outNetwork, err
	}
	return outExpired, err
}

// reviveByToken presents the access token again while it is valid. On a
// renewal that extends the server session but not the token: the timer
// looks again just after the token's last valid second.
func (c *Client) reviveByToken(ctx context.Context, sock *rpc.Conn, sess *Session, w why) (outcome, error) {
	if sess == nil || !c.sess.tokenValid(sess) {
		return outExpired, nil
	}
	_, err := c.authCall(ctx, sock, "authenticate", opAuthenticate, sess.Token)
	switch {
	case isNetworkError(err):
		return outNetwork, err
	case err != nil:
		return outExpired, err
	case w == forRenewal:
		c.sess.retryAt(sess.ExpiresAt.Add(time.Second))
	case w == forRestore:
		c.sess.set(sess, "")
	default:
		// Current already: only the timer. Writing it back could put an
		// older pair over a newer one another client just stored.
		c.sess.retryAt(time.Time{})
	}
	return outReauthenticated, nil
}

// expire ends a session that can no longer be renewed, and keeps why for
// ExpiryCause. On a live socket the server is told, as it would keep the
// identity until its own session expiry (docs/protocol.md#expiry).
func (c *Client) expire(ctx context.Context, sock *rpc.Conn, w why, cause *Error) {
	c.expiry.Store(cause)
	if w == forRenewal || w == forRecovery {
		c.invalidateOn(ctx, sock)
	}
	ev := EventSessionExpired
	if w == forRestore {
		ev = "" // there was no session yet; the stored record goes
	}
	c.sess.drop(ev)
}

// invalidateOn clears the server session on sock. If the server does not
// confirm it, the socket is reset: the replay then presents no identity.
func (c *Client) invalidateOn(ctx context.Context, sock *rpc.Conn) error {
	_, err := callOn(ctx, sock, "invalidate", opOther)
	if err != nil {
		c.conn.reset(sock) // late, refused or dead: no session may outlive this
	}
	return err
}

// callRecovering runs a data call (see shared) for methods that fail when
// the server session expired silently (docs/protocol.md#sessions): it
// revives the session once and tries again. The server refuses such a call
// before running any of it, so trying again is safe.
func (c *Client) callRecovering(ctx context.Context, method string, o op, params ...any) (any, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	v, err := c.sharedCall(ctx, method, o, params...)
	if CodeOf(err) != CodeSessionExpired {
		return v, err
	}
	rerr := c.exclusive(ctx, needLive, func(ctx context.Context, sock *rpc.Conn) error {
		sess := c.sess.get()
		if sess == nil {
			return newError(CodeSessionExpired, "not signed in")
		}
		_, err := c.revive(ctx, sock, sess, forRecovery)
		return err
	})
	if rerr != nil {
		return nil, err
	}
	return c.sharedCall(ctx, method, o, params...)
}

func (c *Client) sharedCall(ctx context.Context, method string, o op, params ...any) (v any, err error) {
	err = c.shared(ctx, func(ctx context.Context, sock *rpc.Conn) error {
		v, err = callOn(ctx, sock, method, o, params...)
		return err
	})
	return v, err
}
