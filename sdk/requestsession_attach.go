package sdk

import (
	"context"
	"errors"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// How a RequestSession keeps its server session in step with the identity
// it holds (docs/architecture.md#sessions-on-one-socket): every call runs
// on a server session that holds exactly that identity, or fails. When that
// is no longer known the server session is dropped, and the next call
// attaches a fresh one and presents the identity again.

// exclusive runs fn in the RequestSession's own auth section on a server
// session that holds its identity (attached and presented first if need
// be). It waits for the client's reconnect like the Client's calls.
func (s *RequestSession) exclusive(ctx context.Context, fn func(ctx context.Context, sock *rpc.Conn, id rpc.UUID) error) error {
	return s.section(ctx, false, fn)
}

// change is exclusive for a call that replaces the identity. An identity
// that could not be presented again is given up first: it is being
// replaced, and should the new one be refused, the value is a guest, not
// one claiming an identity no server session holds.
func (s *RequestSession) change(ctx context.Context, fn func(ctx context.Context, sock *rpc.Conn, id rpc.UUID) error) error {
	return s.section(ctx, true, fn)
}

func (s *RequestSession) section(ctx context.Context, replacing bool, fn func(ctx context.Context, sock *rpc.Conn, id rpc.UUID) error) error {
	ctx, cancel := s.c.withTimeout(ctx)
	defer cancel()
	if err := s.turn.enter(ctx); err != nil {
		return err
	}
	defer s.turn.leave()
	if replacing {
		s.mu.Lock()
		if s.lost != nil {
			s.sess, s.lost = nil, nil
		}
		s.mu.Unlock()
	}
	sock, id, err := s.ensure(ctx)
	if err != nil {
		return err
	}
	return fn(ctx, sock, id)
}

// ensure returns the server session, attaching a fresh one when there is
// none or its socket died, and presenting the identity on it. The caller
// holds s.turn exclusively.
func (s *RequestSession) ensure(ctx context.Context) (*rpc.Conn, rpc.UUID, error) {
	s.mu.Lock()
	if err := s.usable(); err != nil {
		s.mu.Unlock()
		return nil, rpc.UUID{}, err
	}
	if s.sock != nil && s.sock.Err() == nil {
		sock, id := s.sock, s.id
		s.mu.Unlock()
		return sock, id, nil
	}
	s.sock = nil // its socket died, and the server session with it
	sess, ns, db := s.sess, s.ns, s.db
	s.mu.Unlock()

	sock, err := s.c.conn.wait(ctx)
	if err != nil {
		return nil, rpc.UUID{}, err
	}
	id := newSessionID()
	if _, err := callIn(ctx, sock, id, "attach", opOther); err != nil {
		if outcomeUnknown(err) {
			go s.c.detach(sock, id) // it may have been attached
		}
		return nil, rpc.UUID{}, err
	}
	if !s.adopt(sock, id) {
		return nil, rpc.UUID{}, errSessionClosed()
	}
	if ns != "" {
		if _, err := callIn(ctx, sock, id, "use", opOther, ns, noneIfEmpty(db)); err != nil {
			s.forget(sock, id)
			return nil, rpc.UUID{}, err
		}
	}
	if sess != nil {
		if err := s.present(ctx, sock, id, sess); err != nil {
			return nil, rpc.UUID{}, err
		}
	}
	return sock, id, nil
}

// present authenticates sess on a fresh server session. A token that has
// expired (by the client's clock: nothing is sent) or that the server
// refuses cannot be presented: the RequestSession is then lost.
func (s *RequestSession) present(ctx context.Context, sock *rpc.Conn, id rpc.UUID, sess *Session) error {
	var refused error
	if s.c.sess.tokenValid(sess) {
		_, err := callIn(ctx, sock, id, "authenticate", opAuthenticate, sess.Token)
		if err == nil {
			return nil
		}
		if _, ok := errors.AsType[*rpc.ServerError](err); !ok || sessionGone(err) {
			s.forget(sock, id) // not the server's verdict on the token: try again on the next call
			return err
		}
		refused = err
	}
	lost := expiryError(refused)
	if refused == nil {
		lost.Message = "This session's token has expired and the server session holding it was lost (the socket was replaced): sign in again"
	} else {
		lost.Message = "The server session was lost (the socket was replaced) and the server refused this session's token again: " + lowerFirst(messageOf(refused))
	}
	s.mu.Lock()
	s.lost = lost
	s.mu.Unlock()
	s.forget(sock, id)
	return lost
}

// adopt records a freshly attached server session; false (and it is
// detached) when the RequestSession was closed meanwhile.
func (s *RequestSession) adopt(sock *rpc.Conn, id rpc.UUID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		go s.c.detach(sock, id)
		return false
	}
	s.sock, s.id = sock, id
	return true
}

// forget drops the server session id on sock if it is still the current
// one: it is detached in the background (what it holds is unknown, and
// nobody will name it again) and the next call attaches a fresh one.
func (s *RequestSession) forget(sock *rpc.Conn, id rpc.UUID) {
	s.mu.Lock()
	mine := s.sock == sock && s.id == id
	if mine {
		s.sock = nil
	}
	s.mu.Unlock()
	if mine && sock.Err() == nil {
		go s.c.detach(sock, id)
	}
}

// usable is why no call may run now, or nil. s.mu is held.
func (s *RequestSession) usable() error {
	switch {
	case s.closed:
		return errSessionClosed()
	case s.lost != nil:
		return s.lost
	}
	return nil
}

// call runs a data call: alongside the RequestSession's other data calls,
// never during one of its identity changes, on a server session that holds
// its identity.
func (s *RequestSession) call(ctx context.Context, method string, o op, params ...any) (any, error) {
	ctx, cancel := s.c.withTimeout(ctx)
	defer cancel()
	for {
		if err := s.turn.enterShared(ctx); err != nil {
			return nil, err
		}
		s.mu.Lock()
		err, sock, id := s.usable(), s.sock, s.id
		s.mu.Unlock()
		if err == nil && sock != nil && sock.Err() == nil {
			v, err := callIn(ctx, sock, id, method, o, params...)
			s.turn.leaveShared()
			if sessionGone(err) {
				s.forget(sock, id)
			}
			return v, err
		}
		s.turn.leaveShared()
		if err != nil {
			return nil, err
		}
		// No server session: attach one (in the section), then try again.
		if err := s.exclusive(ctx, func(context.Context, *rpc.Conn, rpc.UUID) error { return nil }); err != nil {
			return nil, err
		}
	}
}

// authCall is callIn for a call that changes the server session's identity
// or selection: when its outcome is unknown the server session is dropped,
// so none holds an identity this value does not (the next call presents
// the one it does).
func (s *RequestSession) authCall(ctx context.Context, sock *rpc.Conn, id rpc.UUID, method string, o op, params ...any) (any, error) {
	v, err := callIn(ctx, sock, id, method, o, params...)
	if err != nil && (outcomeUnknown(err) || sessionGone(err)) {
		s.forget(sock, id)
	}
	return v, err
}

// callIn is callOn for the server session id.
func callIn(ctx context.Context, conn *rpc.Conn, id rpc.UUID, method string, o op, params ...any) (any, error) {
	raw, err := conn.CallIn(ctx, id, method, params...)
	return callResult(method, o, raw, err)
}

// detach releases server session id on sock, best effort: it is only ever
// a session nobody will name again.
func (c *Client) detach(sock *rpc.Conn, id rpc.UUID) {
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.callTimeout)
	defer cancel()
	_, _ = callIn(ctx, sock, id, "detach", opOther)
}

// sessionGone is true for the server's "Session not found": the server
// session no longer exists, so nothing ran (docs/protocol.md#sessions).
func sessionGone(err error) bool {
	se, ok := errors.AsType[*rpc.ServerError](err)
	if !ok {
		return false
	}
	kinds := se.DetailKinds()
	return len(kinds) >= 2 && kinds[0] == "NotFound" && kinds[1] == "Session"
}

// newSessionID is a random (version 4) UUID. The server sessions of one
// socket are that socket's alone, but the id is still unguessable.
func newSessionID() rpc.UUID {
	var u rpc.UUID
	randomBytes(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}
