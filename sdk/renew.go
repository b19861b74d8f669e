package sdk

import (
	"context"
	"time"
)

// renewal is the armed renewal timer. gen tells a timer that fired after it
// was replaced to do nothing.
type renewal struct {
	stopFn func() bool
	gen    uint64
}

func (r *renewal) stop() {
	if r.stopFn != nil {
		r.stopFn()
		r.stopFn = nil
	}
	r.gen++
}

// renewAt is when sess is due for renewal: the margin before its expiry,
// but never more than a third of the token's life, so a 2 s token is
// renewed after about 1.3 s rather than at once in a loop.
func (c *Client) renewAt(sess *Session) (time.Time, bool) {
	if sess.ExpiresAt.IsZero() {
		return time.Time{}, false
	}
	life := sess.ExpiresAt.Sub(sess.IssuedAt)
	if sess.IssuedAt.IsZero() || life <= 0 {
		life = sess.ExpiresAt.Sub(c.opts.clock.Now())
	}
	margin := min(c.opts.renewMargin, max(life/3, 0))
	return sess.ExpiresAt.Add(-margin), true
}

// armRenewalLocked arms the timer for sess. c.mu is held.
func (c *Client) armRenewalLocked(sess *Session) {
	c.renewal.stop()
	if at, ok := c.renewAt(sess); ok && !c.closed.Load() {
		c.armAtLocked(at)
	}
}

// armAtLocked fires renewDue at at (or after maxTimer, to look again).
func (c *Client) armAtLocked(at time.Time) {
	c.renewal.stop()
	d := min(max(at.Sub(c.opts.clock.Now()), 0), maxTimer)
	gen := c.renewal.gen
	c.renewal.stopFn = c.opts.clock.AfterFunc(d, func() {
		c.mu.Lock()
		stale := c.renewal.gen != gen
		c.mu.Unlock()
		if !stale {
			c.renewDue(context.Background())
		}
	})
}

// rearm arms renewal for the current session.
func (c *Client) rearm() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session != nil {
		c.armRenewalLocked(c.session)
	}
}

// CheckSession renews the session now if it is due. Timers in a hidden
// browser tab are throttled and a laptop may sleep through one, so the
// wasm build calls this when the page becomes visible or goes online.
func (c *Client) CheckSession(ctx context.Context) { c.renewDue(ctx) }

// renewDue renews the session if its time has come; if the timer woke
// early, it arms it again. Without a connection it does nothing: the
// reconnect replays auth and re-arms.
func (c *Client) renewDue(ctx context.Context) {
	if c.closed.Load() {
		return
	}
	if _, err := c.currentConn(); err != nil {
		return
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	sess := c.Session()
	if sess == nil {
		return
	}
	at, ok := c.renewAt(sess)
	if !ok {
		return
	}
	if c.opts.clock.Now().Before(at) {
		c.rearm()
		return
	}
	if err := c.renewLocked(ctx, sess); err != nil && isNetworkError(err) {
		c.mu.Lock()
		c.armAtLocked(c.opts.clock.Now().Add(5 * time.Second)) // try again; a dead socket re-arms on replay
		c.mu.Unlock()
	}
}

// renewLocked renews sess: with a refresh token, a new pair; else, while
// the token is still valid, authenticate again, which extends the server
// session, and look again when the token has expired; else the session is
// over: SESSION_EXPIRED and a local sign-out. The caller holds authMu.
func (c *Client) renewLocked(ctx context.Context, sess *Session) error {
	if sess.RefreshToken != "" && c.version.hasRefresh() {
		err := c.refreshShared(ctx, sess)
		if err == nil || isNetworkError(err) {
			return err
		}
	} else if c.tokenValid(sess) {
		_, err := c.callNow(ctx, "authenticate", opAuthenticate, sess.Token)
		if err == nil || isNetworkError(err) {
			if err == nil {
				c.mu.Lock()
				c.armAtLocked(sess.ExpiresAt.Add(time.Second)) // the server accepts through the exp second
				c.mu.Unlock()
			}
			return err
		}
	}
	c.expireLocked(ctx)
	return nil
}

// expireLocked ends a session that can no longer be renewed.
func (c *Client) expireLocked(ctx context.Context) {
	_, _ = c.callNow(ctx, "invalidate", opOther) // the server would keep the identity until its own session expiry
	c.dropSession(EventSessionExpired)
}

// callRecovering is call for methods that fail when the server session
// expired silently (PROTOCOL.md §4.4): it recovers the session once and
// tries again.
func (c *Client) callRecovering(ctx context.Context, method string, params ...any) (any, error) {
	v, err := c.call(ctx, method, opOther, params...)
	if CodeOf(err) != CodeSessionExpired {
		return v, err
	}
	if rerr := c.recoverSession(ctx); rerr != nil {
		return nil, err
	}
	return c.call(ctx, method, opOther, params...)
}

// recoverSession revives an expired server session with the refresh token,
// or else the still-valid access token; failing both, the session ends
// with SESSION_EXPIRED.
func (c *Client) recoverSession(ctx context.Context) error {
	if _, err := c.readyConn(ctx); err != nil {
		return err
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	sess := c.Session()
	if sess == nil {
		return newError(CodeSessionExpired, "not signed in")
	}
	var err error
	switch {
	case sess.RefreshToken != "" && c.version.hasRefresh():
		err = c.refreshShared(ctx, sess)
	case c.tokenValid(sess):
		_, err = c.callNow(ctx, "authenticate", opAuthenticate, sess.Token)
	default:
		err = newError(CodeSessionExpired, "the session expired and its token too")
	}
	if err != nil && !isNetworkError(err) {
		c.expireLocked(ctx)
	}
	return err
}
