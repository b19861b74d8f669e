package sdk

import (
	"context"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// Signin signs in and makes the result the client's session. A failed
// sign-in changes nothing: the previous identity stays signed in, on the
// client and on the server. When the outcome is unknown (no reply in
// time), the connection is reset so that the server session is the
// client's again (docs/architecture.md#session).
func (c *Client) Signin(ctx context.Context, creds Credentials) (Tokens, error) {
	return c.signinWith(ctx, "signin", opSignin, creds)
}

// Signup creates a record user through a record access method and signs it
// in, exactly as Signin does.
func (c *Client) Signup(ctx context.Context, creds Credentials) (Tokens, error) {
	return c.signinWith(ctx, "signup", opSignup, creds)
}

func (c *Client) signinWith(ctx context.Context, method string, o op, creds Credentials) (Tokens, error) {
	params, err := c.signinParams(o, creds)
	if err != nil {
		return Tokens{}, err
	}
	var tokens Tokens
	err = c.exclusive(ctx, needLive, func(ctx context.Context, sock *rpc.Conn) error {
		raw, err := c.authCall(ctx, sock, method, o, params)
		if err != nil {
			return err
		}
		if tokens, err = tokensFrom(raw); err != nil {
			c.conn.reset(sock) // the server said yes to something we cannot read
			return err
		}
		next, err := c.newSession(tokens)
		if err != nil {
			c.conn.reset(sock) // the server signed in a token we refuse: undo by replay
			return err
		}
		c.switchTo(ctx, sock, next, EventSignedIn)
		return nil
	})
	if err != nil {
		return Tokens{}, err
	}
	return tokens, nil
}

// signinParams checks creds for a sign-in or sign-up (o) and gives the
// params the server's version takes: the client's defaults fill what creds
// leave out. Nothing is sent for creds it refuses.
func (c *Client) signinParams(o op, creds Credentials) (map[string]any, error) {
	cr, err := creds.resolve(c.opts.namespace, c.opts.database)
	if err == nil && o == opSignup {
		err = cr.checkSignup()
	}
	if err != nil {
		return nil, err
	}
	return cr.wire(c.version)
}

// switchTo makes next the session after the server accepted it on sock.
// SurrealDB 3.0.2 keeps a previous record user's $auth, $access and info
// after a database-user or bearer sign-in (docs/protocol.md#identity-switch),
// so when the identity changes the server session is cleared and
// authenticated again with the new token alone. Doing this after the
// sign-in, not before, keeps a failed sign-in from signing the old identity
// out. If either step fails the socket is reset: a fresh one, replayed with
// next, is clean too.
func (c *Client) switchTo(ctx context.Context, sock *rpc.Conn, next *Session, ev Event) {
	if prev := c.sess.get(); prev != nil && !sameIdentity(prev, next) {
		_, err := callOn(ctx, sock, "invalidate", opOther)
		if err == nil {
			_, err = callOn(ctx, sock, "authenticate", opAuthenticate, next.Token)
		}
		if err != nil {
			c.conn.reset(sock)
		}
	}
	c.sess.set(next, ev)
}

// present authenticates next on sock and makes it the session; fresh says
// the socket has no session yet (no clean switch needed). A refusal
// changes nothing.
func (c *Client) present(ctx context.Context, sock *rpc.Conn, next *Session, ev Event, fresh bool) error {
	if _, err := c.authCall(ctx, sock, "authenticate", opAuthenticate, next.Token); err != nil {
		return c.tokenError(err, next)
	}
	if fresh {
		c.sess.set(next, ev)
	} else {
		c.switchTo(ctx, sock, next, ev)
	}
	return nil
}

// newSession decodes (and with WithVerifier, verifies) tokens: the one
// decode of a token per call.
func (c *Client) newSession(t Tokens) (*Session, error) { return sessionVerified(t, c.opts.verifier) }

// Authenticate makes token the client's session. A token that is not a JWT
// (or that the verifier refuses) is refused before sending; one the server
// refuses changes nothing.
func (c *Client) Authenticate(ctx context.Context, token string) error {
	next, err := c.newSession(Tokens{Access: token})
	if err != nil {
		return err
	}
	return c.exclusive(ctx, needLive, func(ctx context.Context, sock *rpc.Conn) error {
		return c.present(ctx, sock, next, EventSignedIn, false)
	})
}

// tokenError sharpens a refusal: 1.x/2.x say only "There was a problem with
// authentication" for an expired token, which the claims can tell apart.
func (c *Client) tokenError(err error, sess *Session) error {
	if e, ok := err.(*Error); ok && e.Code == CodeTokenInvalid && !c.sess.tokenValid(sess) {
		e.Code = CodeTokenExpired
	}
	return err
}

// Refresh spends the session's refresh token for a new pair (3.x record
// access WITH REFRESH) and resolves to the new tokens. The new pair is
// stored before it is returned or announced. Refreshes are serialised with
// every other client sharing the store (see Locker): a client that finds
// the pair already spent by another adopts the other's new pair instead.
func (c *Client) Refresh(ctx context.Context) (Tokens, error) {
	var out Tokens
	err := c.exclusive(ctx, needLive, func(ctx context.Context, sock *rpc.Conn) error {
		sess := c.sess.get()
		if err := c.canRefresh(sess); err != nil {
			return err
		}
		if err := c.refreshShared(ctx, sock, sess, EventTokenRefreshed); err != nil {
			return err
		}
		cur := c.sess.get()
		out = Tokens{Access: cur.Token, Refresh: cur.RefreshToken}
		return nil
	})
	return out, err
}

// refreshOn spends sess's pair on sock and makes the new pair the session.
// The access token may have expired: the server reads its claims without
// checking them (docs/protocol.md#refresh).
func (c *Client) refreshOn(ctx context.Context, sock *rpc.Conn, sess *Session, ev Event) error {
	raw, err := c.authCall(ctx, sock, "refresh", opRefresh, map[string]any{"access": sess.Token, "refresh": sess.RefreshToken})
	if err != nil {
		return err
	}
	tokens, err := tokensFrom(raw)
	var next *Session
	if err == nil {
		next, err = c.newSession(tokens)
	}
	if err != nil {
		c.conn.reset(sock) // the server moved to a pair we cannot use: replay ours
		return err
	}
	c.sess.set(next, ev)
	return nil
}

func (c *Client) canRefresh(sess *Session) error {
	switch {
	case !c.version.hasRefresh():
		return newError(CodeUnsupported, "SurrealDB "+c.version.Raw+" has no refresh method (3.x only)")
	case sess == nil:
		return newError(CodeTokenInvalid, "not signed in")
	case sess.RefreshToken == "":
		return newError(CodeUnsupported, "this session has no refresh token: its access method is not WITH REFRESH")
	}
	return nil
}

// Revoke revokes the session's refresh token on the server (3.x). The access
// token stays valid until it expires; the session keeps it.
func (c *Client) Revoke(ctx context.Context) error {
	return c.exclusive(ctx, needLive, func(ctx context.Context, sock *rpc.Conn) error {
		sess := c.sess.get()
		if err := c.canRefresh(sess); err != nil {
			return err
		}
		if _, err := callOn(ctx, sock, "revoke", opRefresh, map[string]any{"access": sess.Token, "refresh": sess.RefreshToken}); err != nil {
			return err
		}
		sess.RefreshToken = ""
		c.sess.set(sess, "")
		return nil
	})
}

// Invalidate signs out: it revokes the refresh token if there is one, clears
// the server session and removes the stored session. The local sign-out
// happens even when the server cannot be reached: the connection is then
// reset, and the reconnect presents no identity. A server's refusal is
// returned (after the same sign-out). Invalidate waits for an auth change
// in progress (a reconnect's replay, say) and fails with ErrTimeout,
// changing nothing, only if that outlasts ctx.
func (c *Client) Invalidate(ctx context.Context) error {
	return c.exclusive(ctx, liveOrNone, func(ctx context.Context, sock *rpc.Conn) error {
		if sock == nil {
			c.sess.drop(EventSignedOut)
			return nil
		}
		sess := c.sess.get()
		if sess != nil && sess.RefreshToken != "" && c.version.hasRefresh() {
			// Best effort: a grant left alive could mint tokens after sign-out.
			_, _ = callOn(ctx, sock, "revoke", opRefresh, map[string]any{"access": sess.Token, "refresh": sess.RefreshToken})
		}
		err := c.invalidateOn(ctx, sock)
		c.sess.drop(EventSignedOut)
		if isNetworkError(err) {
			return nil
		}
		return err
	})
}

// Info returns the signed-in record user's record ($auth), or nil for a
// system user, a guest, or a record the user may not select. Record ids are
// RecordID values; their String is "table:id". A server session that
// expired silently is revived once (see callRecovering).
func (c *Client) Info(ctx context.Context) (map[string]any, error) {
	sess := c.sess.get()
	if sess == nil || sess.Access == "" {
		return nil, nil // info is NONE for guests and system users (docs/protocol.md#info): skip the round trip
	}
	v, err := c.callRecovering(ctx, "info", opOther)
	if err != nil {
		return nil, err
	}
	switch r := v.(type) {
	case map[string]any:
		return r, nil
	case nil, rpc.None:
		return nil, nil
	default:
		return nil, newError(CodeServerError, "info returned something that is not a record")
	}
}

// tokensFrom reads a signin/signup/refresh result: a token string, or
// {access, refresh} for a 3.x access WITH REFRESH.
func tokensFrom(v any) (Tokens, error) {
	switch r := v.(type) {
	case string:
		if r != "" {
			return Tokens{Access: r}, nil
		}
	case map[string]any:
		access, _ := r["access"].(string)
		refresh, _ := r["refresh"].(string)
		if access != "" {
			return Tokens{Access: access, Refresh: refresh}, nil
		}
	}
	return Tokens{}, newError(CodeServerError, "the server returned no token")
}
