package sdk

import (
	"context"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// renewal is the armed renewal timer. at is when it fires (zero when
// disarmed), so arming for the same instant again is free; gen tells a timer
// that fired after it was replaced to do nothing.
type renewal struct {
	stopFn func() bool
	at     time.Time
	gen    uint64
}

func (r *renewal) stop() {
	if r.stopFn != nil {
		r.stopFn()
		r.stopFn = nil
	}
	r.at = time.Time{}
	r.gen++
}

// renewAt is when sess is due for renewal: the margin before its expiry,
// but never more than a third of the token's life, so a 2 s token is
// renewed after about 1.3 s rather than at once in a loop.
func (s *sessionState) renewAt(sess *Session) (time.Time, bool) {
	if sess.ExpiresAt.IsZero() {
		return time.Time{}, false
	}
	life := sess.ExpiresAt.Sub(sess.IssuedAt)
	if sess.IssuedAt.IsZero() || life <= 0 {
		life = sess.ExpiresAt.Sub(s.clock.Now())
	}
	margin := min(s.margin, max(life/3, 0))
	return sess.ExpiresAt.Add(-margin), true
}

// tokenValid is true while the server would still accept sess.Token; the
// server accepts a token through its exp second (docs/protocol.md#expiry).
func (s *sessionState) tokenValid(sess *Session) bool {
	return sess.ExpiresAt.IsZero() || s.clock.Now().Unix() <= sess.ExpiresAt.Unix()
}

// armFor arms renewal for sess, unless it is armed for that time already.
// s.mu is held.
func (s *sessionState) armFor(sess *Session) {
	if at, ok := s.renewAt(sess); ok {
		s.armAt(at)
	} else {
		s.timer.stop()
	}
}

// armAt makes the timer fire at at (or after maxTimer, to look again).
// s.mu is held.
func (s *sessionState) armAt(at time.Time) {
	if s.timer.stopFn != nil && s.timer.at.Equal(at) {
		return
	}
	s.timer.stop()
	s.timer.at = at
	gen := s.timer.gen
	d := min(max(at.Sub(s.clock.Now()), 0), maxTimer)
	s.timer.stopFn = s.clock.AfterFunc(d, func() {
		s.mu.Lock()
		stale := s.timer.gen != gen
		if !stale {
			s.timer.stopFn, s.timer.at = nil, time.Time{}
		}
		s.mu.Unlock()
		if !stale {
			s.due()
		}
	})
}

// retryAt arms the timer for the current session at at; the zero time
// means when the session is due.
func (s *sessionState) retryAt(at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.cur == nil:
	case at.IsZero():
		s.armFor(s.cur)
	default:
		s.armAt(at)
	}
}

// CheckSession renews the session now if it is due. Timers in a hidden
// browser tab are throttled and a laptop may sleep through one, so the
// wasm build calls this when the page becomes visible or goes online.
func (c *Client) CheckSession(ctx context.Context) { c.renewDue(ctx) }

// renewDue renews the session if its time has come (the revival rule
// decides). Without a live socket it does nothing: the replay on the next
// one arms the timer again.
func (c *Client) renewDue(ctx context.Context) {
	err := c.exclusive(ctx, liveNow, func(ctx context.Context, sock *rpc.Conn) error {
		if sess := c.sess.get(); sess != nil {
			if out, _ := c.revive(ctx, sock, sess, forRenewal); out == outNetwork {
				c.sess.retryAt(c.opts.clock.Now().Add(5 * time.Second))
			}
		}
		return nil
	})
	if CodeOf(err) == CodeTimeout { // another auth change held the section all along
		c.sess.retryAt(c.opts.clock.Now().Add(5 * time.Second))
	}
}
