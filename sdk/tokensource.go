package sdk

import (
	"context"
	"errors"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// WithTokenSource gives the client a source of tokens minted outside
// SurrealDB: an identity provider's JWT for a `DEFINE ACCESS … TYPE JWT`
// access, or a record access `WITH JWT`. Such tokens have a fixed expiry
// that neither refresh nor authenticating again can extend, so the client
// asks fn for a new one:
//
//   - at Dial, when the store holds no session (or none the revival rule
//     can bring back);
//   - before the token expires, when renewal has no refresh token to spend
//     (or the server refused it) — and again just after the token's last
//     valid second if fn failed the first time, while the old token was
//     presented again to keep the session meanwhile;
//   - when a reconnect or a silently expired server session finds the
//     token expired.
//
// Its token is authenticated and announced as TOKEN_REFRESHED (SIGNED_IN
// when it names another identity, silently at Dial, where INITIAL_SESSION
// reports it). fn returning "" with a nil error (no token: the user signed
// out at the provider) or an error is a refusal, like a refused refresh:
// when nothing else can renew the session it ends with SESSION_EXPIRED,
// and ExpiryCause says why (ReasonNoToken, ReasonTokenSourceFailed with
// fn's error inside, ReasonTokenRefused when the server refused fn's
// token).
//
// Calls to fn are serialised with every refresh of every client sharing
// the store (under its Locker), and a client that finds a newer token for
// its identity stored by another adopts it instead of calling fn. fn runs
// inside the client's auth section, bounded by ctx: it must not call the
// Client.
//
// The source is how such a client renews any session that has no refresh
// token: a session signed in another way (Signin with a password, say) is
// replaced by the source's token when it is due, announced as SIGNED_IN
// if the identity differs.
func WithTokenSource(fn func(ctx context.Context) (string, error)) Option {
	return func(o *options) { o.tokenSource = fn }
}

// ExpiryCause is why the most recent session ended with
// EventSessionExpired — or why Dial's token source gave no session — as an
// *Error with CodeSessionExpired, a Reason (ReasonTokenExpired,
// ReasonTokenRefused, ReasonTokenSourceFailed, ReasonNoToken) and the
// refusal itself as Err. nil when no session has expired. It stays until
// the next expiry, so a SESSION_EXPIRED listener (which runs a little
// later, on its own goroutine) reads it.
func (c *Client) ExpiryCause() error {
	if e := c.expiry.Load(); e != nil {
		return e
	}
	return nil
}

// reviveBySource is the revival rule's token-source step: under the store's
// lock, adopt a newer token another client stored, or else ask the source
// and present its token.
func (c *Client) reviveBySource(ctx context.Context, sock *rpc.Conn, sess *Session, w why) (outcome, error) {
	if c.opts.tokenSource == nil {
		return outExpired, nil
	}
	var out outcome
	var err error
	lerr := c.withLock(ctx, func() error {
		out, err = c.sourceLocked(ctx, sock, sess, w)
		return nil
	})
	if lerr != nil {
		return outNetwork, lerr // no turn at the lock in time: nothing changed
	}
	return out, err
}

func (c *Client) sourceLocked(ctx context.Context, sock *rpc.Conn, sess *Session, w why) (outcome, error) {
	ev := EventTokenRefreshed
	if w == forRestore {
		ev = ""
	}
	if adopted, err := c.adoptStored(ctx, sock, sess, ev); adopted {
		if isNetworkError(err) {
			return outNetwork, err
		}
		return outRefreshed, nil
	}
	token, err := c.opts.tokenSource(ctx)
	switch {
	case err != nil:
		return outExpired, &Error{Code: CodeSessionExpired, Reason: ReasonTokenSourceFailed,
			Message: "The token source failed: " + err.Error(), Err: err}
	case token == "":
		return outExpired, &Error{Code: CodeSessionExpired, Reason: ReasonNoToken, Message: "The token source has no token"}
	}
	next, err := c.newSession(Tokens{Access: token})
	if err != nil {
		return outExpired, err
	}
	if ev != "" && (sess == nil || !sameIdentity(sess, next)) {
		ev = EventSignedIn
	}
	fresh := w == forReconnect || w == forRestore
	if err := c.present(ctx, sock, next, ev, fresh); err != nil {
		if isNetworkError(err) {
			return outNetwork, err
		}
		return outExpired, err
	}
	return outRefreshed, nil
}

// adoptStored is adoptNewer that, with no session yet (Dial), takes any
// valid session another client stored meanwhile.
func (c *Client) adoptStored(ctx context.Context, sock *rpc.Conn, sess *Session, ev Event) (bool, error) {
	if sess != nil {
		return c.adoptNewer(ctx, sock, sess, ev)
	}
	v, _, err := c.sess.read()
	if err != nil {
		return false, nil
	}
	next, ok := c.storedSession(v)
	if !ok || !c.sess.tokenValid(next) {
		return false, nil
	}
	if _, err := c.authCall(ctx, sock, "authenticate", opAuthenticate, next.Token); err != nil {
		return isNetworkError(err), err
	}
	c.sess.set(next, ev)
	return true, nil
}

// expiryError is the session_expired error for a session the revival rule
// could not keep; cause is the last refusal (nil: nothing applied).
func expiryError(cause error) *Error {
	e := &Error{Code: CodeSessionExpired, Err: cause}
	var ce *Error
	switch {
	case cause == nil:
		e.Reason, e.Message = ReasonTokenExpired, "The session has expired and nothing can renew it"
	case errors.As(cause, &ce) && ce.Code == CodeSessionExpired && ce.Reason != "":
		e.Reason, e.Message = ce.Reason, "The session could not be renewed: "+lowerFirst(ce.Message)
	default:
		e.Reason, e.Message = ReasonTokenRefused, "The session could not be renewed: "+lowerFirst(messageOf(cause))
	}
	return e
}

func messageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// lowerFirst lets a message continue a sentence ("…: the server refused"),
// leaving acronyms ("IAM error") alone.
func lowerFirst(s string) string {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'a' || s[1] > 'z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
