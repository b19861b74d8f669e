package sdk

import (
	"context"
	"sync"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// ReasonSingleSession refines unsupported from NewSession: the server
// carries one session per connection (SurrealDB 1.x and 2.x), so an identity
// per request needs a socket per request.
const ReasonSingleSession = "single_session"

// RequestSession is an identity of its own on the client's socket: a
// server session beside the connection's (SurrealDB 3.x carries many on one
// socket), made for one request of a server that serves many users. It has
// its own identity, namespace, database and variables; the Client's own
// identity and every other RequestSession are untouched by what it does.
//
// It lives for one request: no store, no renewal timer, no events. Close it
// when the request ends. Its methods are safe for concurrent use; identity
// changes are applied one at a time and queries never run during one, as on
// the Client.
//
// The server session is attached on first use (a request that never calls
// the server costs nothing) with a client-chosen UUID, and every call
// carries it. When the server session is lost — the shared socket was
// replaced after a reconnect, or a reply to an identity change was lost or
// late, so the server may hold another identity than this value says — it
// is detached and the next call attaches a fresh one and presents this
// value's identity again: the token is authenticated, the selection from
// Use replayed. A token that can no longer be presented (expired, or
// refused) leaves the RequestSession failing every call with
// session_expired (Reason token_expired or token_refused) until it signs
// in, authenticates or invalidates; it never goes on as a guest. See
// docs/architecture.md#sessions-on-one-socket.
type RequestSession struct {
	c    *Client
	turn *turn // its own auth section: identity changes one at a time, data calls shared

	mu     sync.Mutex // guards the fields below; never held across a call
	sock   *rpc.Conn  // the socket its server session is attached on; nil: none
	id     rpc.UUID   // that server session
	sess   *Session   // who this value says is signed in; nil: a guest
	ns, db string     // from Use: replayed on a fresh server session
	closed bool
	lost   *Error // the identity could not be presented on a fresh server session
}

// NewSession makes a RequestSession on the client's socket, signed out
// (a guest with no namespace or database selected, as a new server session
// is). It sends nothing: the server session is attached on first use.
//
// It needs SurrealDB 3.x: a 1.x or 2.x server has one session per
// connection and ignores the session a request names, so NewSession fails
// there with unsupported (Reason ReasonSingleSession) rather than let the
// calls act on the connection's own session. On those servers, dial a
// Client per request.
func (c *Client) NewSession() (*RequestSession, error) {
	if c.version.Major < 3 {
		return nil, &Error{Code: CodeUnsupported, Reason: ReasonSingleSession,
			Message: "SurrealDB " + c.version.Raw + " has one session per connection (sessions on one socket need 3.x): dial a Client per request instead"}
	}
	if c.closing.Load() || c.conn.closed() {
		return nil, errClientClosed()
	}
	return &RequestSession{c: c, turn: newTurn()}, nil
}

// Session returns a copy of the identity this RequestSession holds, or nil
// for a guest.
func (s *RequestSession) Session() *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess == nil {
		return nil
	}
	cp := *s.sess
	return &cp
}

// Authenticate makes token this RequestSession's identity. A token that is
// not a JWT (or that the client's Verifier refuses) is refused before
// sending; one the server refuses (token_invalid, token_expired) changes
// nothing.
func (s *RequestSession) Authenticate(ctx context.Context, token string) error {
	next, err := s.c.newSession(Tokens{Access: token})
	if err != nil {
		return err
	}
	return s.change(ctx, func(ctx context.Context, sock *rpc.Conn, id rpc.UUID) error {
		if _, err := s.authCall(ctx, sock, id, "authenticate", opAuthenticate, token); err != nil {
			return s.c.tokenError(err, next)
		}
		s.switchTo(ctx, sock, id, next)
		return nil
	})
}

// Signin signs in on this RequestSession only, as Client.Signin does on
// the client (the client's WithNamespace and WithDatabase apply). The
// tokens are returned and kept for this value alone: nothing is stored,
// nothing renews them. A failed sign-in keeps the previous identity.
func (s *RequestSession) Signin(ctx context.Context, creds Credentials) (Tokens, error) {
	return s.signinWith(ctx, "signin", opSignin, creds)
}

// Signup creates a record user and signs it in on this RequestSession
// only, exactly as Signin does.
func (s *RequestSession) Signup(ctx context.Context, creds Credentials) (Tokens, error) {
	return s.signinWith(ctx, "signup", opSignup, creds)
}

func (s *RequestSession) signinWith(ctx context.Context, method string, o op, creds Credentials) (Tokens, error) {
	params, err := s.c.signinParams(o, creds)
	if err != nil {
		return Tokens{}, err
	}
	var tokens Tokens
	err = s.change(ctx, func(ctx context.Context, sock *rpc.Conn, id rpc.UUID) error {
		raw, err := s.authCall(ctx, sock, id, method, o, params)
		if err != nil {
			return err
		}
		var next *Session
		if tokens, err = tokensFrom(raw); err == nil {
			next, err = s.c.newSession(tokens)
		}
		if err != nil {
			s.forget(sock, id) // signed in as something we cannot hold: start afresh
			return err
		}
		s.switchTo(ctx, sock, id, next)
		return nil
	})
	if err != nil {
		return Tokens{}, err
	}
	return tokens, nil
}

// switchTo makes next the identity after the server accepted it. As on the
// Client, a server session that held another identity is cleared and
// authenticated with next alone (docs/protocol.md#identity-switch); if that
// fails, the server session is dropped and a fresh one presents next.
func (s *RequestSession) switchTo(ctx context.Context, sock *rpc.Conn, id rpc.UUID, next *Session) {
	if prev := s.Session(); prev != nil && !sameIdentity(prev, next) {
		_, err := callIn(ctx, sock, id, "invalidate", opOther)
		if err == nil {
			_, err = callIn(ctx, sock, id, "authenticate", opAuthenticate, next.Token)
		}
		if err != nil {
			s.forget(sock, id)
		}
	}
	s.mu.Lock()
	s.sess = next
	s.mu.Unlock()
}

// Invalidate signs this RequestSession out: it is a guest afterwards, also
// when the server could not be told (its server session is then dropped).
// A refresh token a Signin returned is not revoked: it is the caller's.
func (s *RequestSession) Invalidate(ctx context.Context) error {
	ctx, cancel := s.c.withTimeout(ctx)
	defer cancel()
	if err := s.turn.enter(ctx); err != nil {
		return err
	}
	defer s.turn.leave()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errSessionClosed()
	}
	s.sess, s.lost = nil, nil
	sock, id := s.sock, s.id
	s.mu.Unlock()
	if sock == nil || sock.Err() != nil {
		return nil // no server session holds anyone
	}
	_, err := callIn(ctx, sock, id, "invalidate", opOther)
	if err != nil {
		s.forget(sock, id) // late, refused or dead: no identity may outlive this
	}
	if isNetworkError(err) {
		return nil
	}
	return err
}

// Use selects the namespace and database for this RequestSession; an empty
// string keeps the current value. As on the Client, a signed-in namespace,
// database or record user cannot select another than its token names
// (not_allowed).
func (s *RequestSession) Use(ctx context.Context, ns, db string) error {
	s.mu.Lock()
	known := s.ns
	s.mu.Unlock()
	if ns == "" && db != "" && known == "" {
		return newError(CodeMissingNamespace, "a database was given without a namespace")
	}
	return s.exclusive(ctx, func(ctx context.Context, sock *rpc.Conn, id rpc.UUID) error {
		if err := boundBy(s.Session(), ns, db); err != nil {
			return err
		}
		if _, err := s.authCall(ctx, sock, id, "use", opOther, noneIfEmpty(ns), noneIfEmpty(db)); err != nil {
			return err
		}
		s.mu.Lock()
		if ns != "" {
			s.ns = ns
		}
		if db != "" {
			s.db = db
		}
		s.mu.Unlock()
		return nil
	})
}

// Info returns the record of the record user signed in on this
// RequestSession, or nil for a system user or a guest (without a round
// trip), as Client.Info does.
func (s *RequestSession) Info(ctx context.Context) (map[string]any, error) {
	s.mu.Lock()
	sess, err := s.sess, s.usable()
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if sess == nil || sess.Access == "" {
		return nil, nil // info is NONE for guests and system users (docs/protocol.md#info)
	}
	v, err := s.call(ctx, "info", opOther)
	if err != nil {
		return nil, err
	}
	switch r := v.(type) {
	case map[string]any:
		return r, nil
	case nil, rpc.None:
		return nil, nil
	}
	return nil, newError(CodeServerError, "info returned something that is not a record")
}

// Query runs SurrealQL as this RequestSession's identity, with the
// results, errors and variables of Client.Query. Queries of one
// RequestSession run at once, never during its identity changes. A query
// in flight when the socket dies fails with connection_closed and is not
// retried: it may have run. A server session that expired is not revived:
// the query fails with session_expired.
func (s *RequestSession) Query(ctx context.Context, sql string, vars map[string]any) ([]any, error) {
	if err := s.c.checkVars(vars); err != nil {
		return nil, err
	}
	params := []any{sql}
	if len(vars) > 0 {
		params = append(params, vars)
	}
	raw, err := s.call(ctx, "query", opQuery, params...)
	if err != nil {
		return nil, err
	}
	return queryValues(raw)
}

// Close detaches the server session, which forgets its identity. Calls
// after Close fail with connection_closed; a second Close does nothing.
// Calls still running when Close is called may fail. The wait for the
// server's answer is bounded by the client's call timeout; when the socket
// is gone already there is nothing to detach.
func (s *RequestSession) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	sock, id := s.sock, s.id
	s.sock = nil
	s.mu.Unlock()
	if sock == nil || sock.Err() != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.c.opts.callTimeout)
	defer cancel()
	_, err := callIn(ctx, sock, id, "detach", opOther)
	if CodeOf(err) == CodeConnectionClosed {
		return nil // the server session died with its socket
	}
	return err
}

func errSessionClosed() *Error {
	return newError(CodeConnectionClosed, "the request session is closed")
}
