package sdk

import "context"

// Locker serialises refreshes between clients that share a store: browser
// tabs through navigator.locks, clients in one process through a mutex. A
// refresh token is single use (PROTOCOL.md §8.10): two clients spending the
// same one race, and the loser is signed out. Under the lock, a client first
// looks whether another one already refreshed, and adopts that pair.
//
// A Store that also implements Locker is used as the Locker.
type Locker interface {
	// Lock runs fn while holding the lock called name.
	Lock(ctx context.Context, name string, fn func() error) error
}

// refreshShared refreshes sess under the store's lock. The caller holds
// authMu.
func (c *Client) refreshShared(ctx context.Context, sess *Session) error {
	return c.withLock(ctx, func() error {
		if adopted, err := c.adoptStored(ctx, sess); adopted || err != nil {
			return err
		}
		err := c.refreshNow(ctx, Tokens{Access: sess.Token, Refresh: sess.RefreshToken}, EventTokenRefreshed)
		if CodeOf(err) == CodeTokenInvalid {
			// Spent by another client whose write we had not seen yet:
			// look once more before giving the session up.
			if adopted, aerr := c.adoptStored(ctx, sess); adopted {
				return aerr
			}
		}
		return err
	})
}

func (c *Client) withLock(ctx context.Context, fn func() error) error {
	if l, ok := c.opts.store.(Locker); ok {
		return l.Lock(ctx, c.key+":refresh", fn)
	}
	return fn()
}

// adoptStored takes over a newer pair for the same identity that another
// client stored, instead of spending a refresh token that is already spent.
func (c *Client) adoptStored(ctx context.Context, sess *Session) (bool, error) {
	rec, ok := c.readStored()
	if !ok || rec.Token == sess.Token {
		return false, nil
	}
	next, err := sessionFromTokens(Tokens{Access: rec.Token, Refresh: rec.Refresh})
	// Only a newer pair: a stale read (browsers deliver another tab's write
	// late) could otherwise hand back a pair that is already spent.
	if err != nil || !sameIdentity(sess, next) || !c.tokenValid(next) || next.IssuedAt.Before(sess.IssuedAt) {
		return false, nil
	}
	return true, c.authenticateLocked(ctx, Tokens{Access: rec.Token, Refresh: rec.Refresh}, EventTokenRefreshed)
}

func (c *Client) readStored() (storedSession, bool) {
	v, ok, err := c.opts.store.Get(c.key)
	if err != nil || !ok {
		return storedSession{}, false
	}
	rec, err := decodeStored(v)
	return rec, err == nil
}

// Sync brings the client in line with the store after another client
// sharing it (another tab) changed it: a removed session signs this one out
// (SIGNED_OUT), a newer pair for the same identity is adopted
// (TOKEN_REFRESHED), another identity is signed in (SIGNED_IN). The wasm
// build calls it on storage events and BroadcastChannel messages.
func (c *Client) Sync(ctx context.Context) error {
	if _, err := c.readyConn(ctx); err != nil {
		return err
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	sess := c.Session()
	v, ok, err := c.opts.store.Get(c.key)
	if err != nil {
		return &Error{Code: CodeStorageUnavailable, Message: "cannot read the store", Err: err}
	}
	if !ok {
		if sess != nil {
			_, _ = c.callNow(ctx, "invalidate", opOther)
			c.dropSession(EventSignedOut)
		}
		return nil
	}
	rec, err := decodeStored(v)
	if err != nil || (sess != nil && rec.Token == sess.Token && rec.Refresh == sess.RefreshToken) {
		return nil // not ours to repair, or nothing new
	}
	next := Tokens{Access: rec.Token, Refresh: rec.Refresh}
	ev := EventSignedIn
	if ns, err := sessionFromTokens(next); err == nil && sess != nil && sameIdentity(sess, ns) {
		ev = EventTokenRefreshed
	}
	return c.authenticateLocked(ctx, next, ev)
}
