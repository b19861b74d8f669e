package sdk

import (
	"context"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// Signin signs in and makes the result the client's session. A failed
// sign-in changes nothing: the previous identity stays signed in.
func (c *Client) Signin(ctx context.Context, creds Credentials) (Tokens, error) {
	return c.signinWith(ctx, "signin", opSignin, creds)
}

// Signup creates a record user through a record access method and signs it
// in, exactly as Signin does.
func (c *Client) Signup(ctx context.Context, creds Credentials) (Tokens, error) {
	return c.signinWith(ctx, "signup", opSignup, creds)
}

func (c *Client) signinWith(ctx context.Context, method string, o op, creds Credentials) (Tokens, error) {
	cr, err := creds.resolve(c.opts.namespace, c.opts.database)
	if err == nil && o == opSignup {
		err = cr.checkSignup()
	}
	if err != nil {
		return Tokens{}, err
	}
	params, err := cr.wire(c.version)
	if err != nil {
		return Tokens{}, err
	}
	if _, err := c.readyConn(ctx); err != nil {
		return Tokens{}, err
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	raw, err := c.callNow(ctx, method, o, params)
	if err != nil {
		return Tokens{}, err
	}
	tokens, err := tokensFrom(raw)
	if err != nil {
		return Tokens{}, err
	}
	sess, err := c.newSession(tokens)
	if err != nil {
		c.undoServerAuth(ctx)
		return Tokens{}, err
	}
	if err := c.cleanSwitch(ctx, sess); err != nil {
		return Tokens{}, err
	}
	c.setSession(sess, EventSignedIn)
	return tokens, nil
}

// cleanSwitch runs when a sign-in replaced another identity. SurrealDB
// 3.0.2 keeps the old record user's $auth, $access and info after a
// database-user or bearer sign-in (PROTOCOL.md §7), so the server session is
// cleared and authenticated again with the new token alone. Doing this after
// the sign-in, not before, is what keeps a failed sign-in from signing the
// old identity out. The caller holds authMu.
func (c *Client) cleanSwitch(ctx context.Context, next *Session) error {
	prev := c.Session()
	if prev == nil || sameIdentity(prev, next) {
		return nil
	}
	if _, err := c.callNow(ctx, "invalidate", opOther); err != nil {
		c.dropSession(EventSignedOut)
		return err
	}
	if _, err := c.callNow(ctx, "authenticate", opAuthenticate, next.Token); err != nil {
		c.dropSession(EventSignedOut)
		return err
	}
	return nil
}

// newSession decodes (and with WithVerifier, verifies) tokens.
func (c *Client) newSession(t Tokens) (*Session, error) { return sessionVerified(t, c.opts.verifier) }

// undoServerAuth puts the server session back after the server signed in a
// token the client then refused (its signature did not verify): the
// previous identity again, or none. The caller holds authMu.
func (c *Client) undoServerAuth(ctx context.Context) {
	if prev := c.Session(); prev != nil {
		if _, err := c.callNow(ctx, "authenticate", opAuthenticate, prev.Token); err == nil {
			return
		}
		c.dropSession(EventSignedOut)
	}
	_, _ = c.callNow(ctx, "invalidate", opOther)
}

// Authenticate makes token the client's session. A token that is not a JWT
// is refused before sending; one the server refuses changes nothing.
func (c *Client) Authenticate(ctx context.Context, token string) error {
	if _, err := ParseClaims(token); err != nil {
		return err
	}
	if _, err := c.readyConn(ctx); err != nil {
		return err
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	return c.authenticateLocked(ctx, Tokens{Access: token}, EventSignedIn)
}

// authenticateLocked presents t.Access and makes t the session. The caller
// holds authMu.
func (c *Client) authenticateLocked(ctx context.Context, t Tokens, ev Event) error {
	sess, err := c.newSession(t)
	if err != nil {
		return err
	}
	if _, err := c.callNow(ctx, "authenticate", opAuthenticate, t.Access); err != nil {
		return c.tokenError(err, sess)
	}
	if err := c.cleanSwitch(ctx, sess); err != nil {
		return err
	}
	c.setSession(sess, ev)
	return nil
}

// tokenError sharpens a refusal: 1.x/2.x say only "There was a problem with
// authentication" for an expired token, which the claims can tell apart.
func (c *Client) tokenError(err error, sess *Session) error {
	if e, ok := err.(*Error); ok && e.Code == CodeTokenInvalid && !c.tokenValid(sess) {
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
	if _, err := c.readyConn(ctx); err != nil {
		return Tokens{}, err
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	sess := c.Session()
	if err := c.canRefresh(sess); err != nil {
		return Tokens{}, err
	}
	if err := c.refreshShared(ctx, sess); err != nil {
		return Tokens{}, err
	}
	cur := c.Session()
	return Tokens{Access: cur.Token, Refresh: cur.RefreshToken}, nil
}

// refreshOn spends pair on conn and makes the new pair the session. The
// caller holds authMu. The access token may have expired: the server reads
// its claims without checking them (PROTOCOL.md §2.4).
func (c *Client) refreshOn(ctx context.Context, conn *rpc.Conn, pair Tokens, ev Event) error {
	raw, err := callOn(ctx, conn, "refresh", opRefresh, map[string]any{"access": pair.Access, "refresh": pair.Refresh})
	if err != nil {
		return err
	}
	tokens, err := tokensFrom(raw)
	if err != nil {
		return err
	}
	next, err := c.newSession(tokens)
	if err != nil {
		c.undoServerAuth(ctx)
		return err
	}
	c.setSession(next, ev)
	return nil
}

// refreshNow is refreshOn on the live connection.
func (c *Client) refreshNow(ctx context.Context, pair Tokens, ev Event) error {
	conn, err := c.currentConn()
	if err != nil {
		return err
	}
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	return c.refreshOn(ctx, conn, pair, ev)
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
	if _, err := c.readyConn(ctx); err != nil {
		return err
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	sess := c.Session()
	if err := c.canRefresh(sess); err != nil {
		return err
	}
	if _, err := c.callNow(ctx, "revoke", opRefresh, map[string]any{"access": sess.Token, "refresh": sess.RefreshToken}); err != nil {
		return err
	}
	sess.RefreshToken = ""
	c.setSession(sess, "")
	return nil
}

// Invalidate signs out: it revokes the refresh token if there is one, clears
// the server session and removes the stored session. The local sign-out
// happens even when the server cannot be reached (a server session dies
// with its socket anyway); a server's refusal is returned.
func (c *Client) Invalidate(ctx context.Context) error {
	_, connErr := c.readyConn(ctx)
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if connErr != nil {
		c.dropSession(EventSignedOut)
		return nil
	}
	sess := c.Session()
	if sess != nil && sess.RefreshToken != "" && c.version.hasRefresh() {
		// Best effort: a grant left alive could mint tokens after sign-out.
		_, _ = c.callNow(ctx, "revoke", opRefresh, map[string]any{"access": sess.Token, "refresh": sess.RefreshToken})
	}
	_, err := c.callNow(ctx, "invalidate", opOther)
	c.dropSession(EventSignedOut)
	if isNetworkError(err) {
		return nil
	}
	return err
}

// Info returns the signed-in record user's record ($auth), or nil for a
// system user, a guest, or a record the user may not select. Record ids are
// RecordID values; their String is "table:id". A server session that
// expired silently is recovered once (see recoverSession).
func (c *Client) Info(ctx context.Context) (map[string]any, error) {
	sess := c.Session()
	if sess == nil || sess.Access == "" {
		return nil, nil // info is NONE for guests and system users (PROTOCOL.md §2.7): skip the round trip
	}
	v, err := c.callRecovering(ctx, "info")
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
