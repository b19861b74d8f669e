package sdk

import (
	"context"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// Locker serialises refreshes between clients that share a store: browser
// tabs through navigator.locks, clients in one process through a mutex. A
// refresh token is single use (docs/protocol.md#refresh): two clients
// spending the same one race, and the loser is signed out. Under the lock, a
// client first looks whether another one already refreshed, and adopts that
// pair.
//
// A Store that also implements Locker is used as the Locker.
type Locker interface {
	// Lock runs fn while holding the lock called name.
	Lock(ctx context.Context, name string, fn func() error) error
}

// refreshShared refreshes sess on sock under the store's lock. The caller
// is in the auth section.
func (c *Client) refreshShared(ctx context.Context, sock *rpc.Conn, sess *Session, ev Event) error {
	return c.withLock(ctx, func() error {
		if adopted, err := c.adoptNewer(ctx, sock, sess, ev); adopted {
			return err
		}
		seen, next := c.storeChanges()
		err := c.refreshOn(ctx, sock, sess, ev)
		if CodeOf(err) == CodeTokenInvalid {
			// Spent by another client whose write we had not seen yet:
			// wait for it (see StoreWatcher), then look once more before
			// giving the pair up.
			c.awaitChange(ctx, seen, next)
			if adopted, aerr := c.adoptNewer(ctx, sock, sess, ev); adopted {
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

// adoptNewer takes over a newer pair for the same identity that another
// client stored, instead of spending a refresh token that is already spent.
// adopted is false when there is none, or the server refuses it.
func (c *Client) adoptNewer(ctx context.Context, sock *rpc.Conn, sess *Session, ev Event) (adopted bool, err error) {
	v, _, err := c.sess.read()
	if err != nil {
		return false, nil
	}
	next, ok := c.storedSession(v)
	if !ok || !c.newerPair(sess, next) {
		return false, nil
	}
	if _, err := c.authCall(ctx, sock, "authenticate", opAuthenticate, next.Token); err != nil {
		return isNetworkError(err), err
	}
	c.sess.set(next, ev)
	return true, nil
}

// storedSession decodes a stored record; false when it is none or unusable.
func (c *Client) storedSession(v string) (*Session, bool) {
	if v == "" {
		return nil, false
	}
	rec, err := decodeStored(v)
	if err != nil {
		return nil, false
	}
	s, err := c.newSession(Tokens{Access: rec.Token, Refresh: rec.Refresh})
	return s, err == nil
}

// newerPair is true when next is another pair for cur's identity, still
// valid and issued no earlier. Only such a pair is adopted: a stale read
// (browsers deliver another tab's write late) could otherwise hand back a
// pair already spent, and a record with our access token but another
// refresh token is corrupt, not newer.
func (c *Client) newerPair(cur, next *Session) bool {
	return next.Token != cur.Token && sameIdentity(cur, next) && c.sess.tokenValid(next) && !next.IssuedAt.Before(cur.IssuedAt)
}

// Sync brings the client in line with the store after another client
// sharing it (another tab) changed it: a removed session signs this one out
// (SIGNED_OUT), a newer pair for the same identity is adopted
// (TOKEN_REFRESHED), another identity is signed in (SIGNED_IN). Anything
// else (an older pair, a corrupt record) is left alone. The wasm build
// calls it on storage events and BroadcastChannel messages; a reconnect
// does the same when the store changed while the connection was down.
func (c *Client) Sync(ctx context.Context) error {
	return c.exclusive(ctx, needLive, func(ctx context.Context, sock *rpc.Conn) error {
		v, _, err := c.sess.read()
		if err != nil {
			return &Error{Code: CodeStorageUnavailable, Message: "cannot read the store", Err: err}
		}
		_, err = c.follow(ctx, sock, v, false)
		return err
	})
}

// followIfChanged is Sync for the replay on a fresh socket, and only when
// the store changed since this client last wrote or read it.
func (c *Client) followIfChanged(ctx context.Context, sock *rpc.Conn) (presented bool, err error) {
	v, changed, err := c.sess.read()
	if err != nil || !changed {
		return false, nil
	}
	presented, err = c.follow(ctx, sock, v, true)
	if isNetworkError(err) {
		return false, err
	}
	return presented, nil // a refused record changes nothing: the revival rule goes on
}

// follow applies the stored record v to the client. presented says that
// sock now carries the client's identity (or none): nothing is left to
// replay. The caller is in the auth section; fresh says sock has no
// session yet.
func (c *Client) follow(ctx context.Context, sock *rpc.Conn, v string, fresh bool) (presented bool, err error) {
	cur := c.sess.get()
	if v == "" {
		if cur == nil {
			return false, nil
		}
		if !fresh {
			c.invalidateOn(ctx, sock)
		}
		c.sess.drop(EventSignedOut)
		return true, nil
	}
	next, ok := c.storedSession(v)
	if !ok {
		return false, nil // not ours to repair
	}
	ev := EventSignedIn
	switch {
	case cur != nil && next.Token == cur.Token:
		if next.RefreshToken == "" && cur.RefreshToken != "" { // revoked by the other client
			cur.RefreshToken = ""
			c.sess.set(cur, "")
		}
		return false, nil
	case cur != nil && sameIdentity(cur, next):
		if !c.newerPair(cur, next) {
			return false, nil
		}
		ev = EventTokenRefreshed
	}
	if err := c.present(ctx, sock, next, ev, fresh); err != nil {
		return false, err
	}
	return true, nil
}
