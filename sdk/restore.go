package sdk

import (
	"context"
	"errors"
)

// restore brings back the stored session: it is read, dropped if corrupt or
// expired past renewal, and presented to the server. A server that refuses it
// gets it removed; a network failure keeps it for the next try. No event is
// emitted here: Dial announces the outcome as EventInitialSession.
func (c *Client) restore(ctx context.Context) (*Session, error) {
	v, ok, err := c.opts.store.Get(c.key)
	if err != nil {
		c.storageFailed(err)
		return nil, err
	}
	if !ok {
		return nil, nil
	}
	rec, err := decodeStored(v)
	if err != nil {
		c.forgetStored()
		return nil, err
	}
	c.authMu.Lock()
	pair := Tokens{Access: rec.Token, Refresh: rec.Refresh}
	if rec.Exp != 0 && c.opts.clock.Now().Unix() > rec.Exp {
		err = c.restoreExpired(ctx, pair)
	} else {
		err = c.authenticateLocked(ctx, pair, "")
	}
	c.authMu.Unlock()
	if err != nil {
		if !isNetworkError(err) {
			c.forgetStored()
		}
		return nil, err
	}
	return c.Session(), nil
}

// restoreExpired renews an expired access token with its refresh token when
// the server can; without one the stored session is of no use. The caller
// holds authMu.
func (c *Client) restoreExpired(ctx context.Context, pair Tokens) error {
	if pair.Refresh == "" || !c.version.hasRefresh() {
		return newError(CodeTokenExpired, "the stored session has expired")
	}
	return c.withLock(ctx, func() error { return c.refreshNow(ctx, pair, "") })
}

// isNetworkError tells failures that say nothing about the token.
func isNetworkError(err error) bool {
	return errors.Is(err, ErrConnectionClosed) || errors.Is(err, ErrConnectionFailed) || errors.Is(err, ErrTimeout)
}
