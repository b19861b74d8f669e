package sdk

import (
	"context"
	"errors"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// restore brings back the stored session at Dial: the record is read,
// dropped if corrupt, and revived by the revival rule on the first socket
// (its token presented while valid, else its refresh token spent, else the
// token source asked). With nothing stored the rule runs with no session:
// only a token source can give one. A record nothing can revive is
// removed; a network failure keeps it for the next try. No event is
// emitted here: Dial announces the outcome as EventInitialSession.
func (c *Client) restore(ctx context.Context) {
	_ = c.exclusive(ctx, liveNow, func(ctx context.Context, sock *rpc.Conn) error {
		v, _, err := c.sess.read()
		if err != nil {
			c.sess.storageFailed(err)
			return err
		}
		if v == "" {
			if c.opts.tokenSource == nil {
				return nil
			}
			_, err = c.revive(ctx, sock, nil, forRestore)
			return err
		}
		sess, ok := c.storedSession(v)
		if !ok {
			c.sess.drop("")
			return errCorruptStored
		}
		_, err = c.revive(ctx, sock, sess, forRestore)
		return err
	})
}

// isNetworkError tells failures that say nothing about the token.
func isNetworkError(err error) bool {
	return errors.Is(err, ErrConnectionClosed) || errors.Is(err, ErrConnectionFailed) || errors.Is(err, ErrTimeout)
}
