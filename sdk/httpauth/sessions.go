// Package httpauth knows, on a Go HTTP server, who sent a request: it reads
// the access token that a page signed in with surrealauth mirrors into a
// cookie, and gives the request an sdk.RequestSession authenticated with
// it, so the handler queries SurrealDB as that user. Every request's
// session shares the one socket of an sdk.Client (SurrealDB 3.x carries
// many sessions on one connection) and is released when the request ends.
//
// It is a package of its own so that net/http never reaches the browser
// build, which imports sdk alone.
//
//	db, _ := sdk.Dial(ctx, "wss://db.example.com/rpc")
//	sessions, err := httpauth.New(db) // unsupported before SurrealDB 3
//	http.ListenAndServe(addr, sessions.Middleware(mux))
//
//	func notes(w http.ResponseWriter, r *http.Request) {
//		s, err := httpauth.FromContext(r.Context())
//		if errors.Is(err, httpauth.ErrSignedOut) { … } // a refused cookie: s is a guest
//		if s.Session() == nil { … }                    // signed out
//		rows, err := s.Query(r.Context(), "SELECT * FROM note", nil)
//	}
//
// The token is never logged, nor put in an error.
package httpauth

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/surrealauth/surrealauth/sdk"
)

// Sessions makes a RequestSession for each request from its cookie.
type Sessions struct {
	db      *sdk.Client
	name    string
	now     func() time.Time
	onError func(http.ResponseWriter, *http.Request, error)
}

// Option configures New.
type Option func(*Sessions)

// WithCookieName reads another cookie than DefaultCookieName (the browser
// client's cookie option must name the same).
func WithCookieName(name string) Option { return func(s *Sessions) { s.name = name } }

// WithClock decides with c whether a cookie's token has expired (default:
// the wall clock).
func WithClock(c sdk.Clock) Option { return func(s *Sessions) { s.now = c.Now } }

// WithErrorHandler answers a request the Middleware could not give a
// session: the server cannot be reached (the Client is reconnecting beyond
// its wait, or closed). The default answers 503 Service Unavailable.
func WithErrorHandler(fn func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(s *Sessions) { s.onError = fn }
}

// New serves requests' sessions over db's socket. db's own identity is not
// used (keep it signed out: its sign-ins and their resets concern the
// socket every request shares). It fails with unsupported (Reason
// sdk.ReasonSingleSession) on a server before SurrealDB 3, which carries
// one session per connection.
func New(db *sdk.Client, opts ...Option) (*Sessions, error) {
	probe, err := db.NewSession()
	if err != nil {
		return nil, err
	}
	probe.Close() // never attached: sends nothing
	s := &Sessions{db: db, name: DefaultCookieName, now: time.Now, onError: unavailable}
	for _, fn := range opts {
		fn(s)
	}
	return s, nil
}

func unavailable(w http.ResponseWriter, _ *http.Request, _ error) {
	http.Error(w, "The database cannot be reached; try again shortly.", http.StatusServiceUnavailable)
}

// Open makes r's session: authenticated with the cookie's token, or a
// guest when there is no cookie or its token has expired. The caller
// closes it when the request ends.
//
// When the cookie's token is refused (not a JWT, or by the server) Open
// returns the session as a guest together with an error matching
// ErrSignedOut: serve the request signed out. Any other error (the server
// cannot be reached) comes with a nil session.
func (s *Sessions) Open(r *http.Request) (*sdk.RequestSession, error) {
	rs, err := s.db.NewSession()
	if err != nil {
		return nil, err
	}
	token, err := TokenFrom(r, s.name, s.now())
	if err != nil || token == "" {
		return rs, err
	}
	err = rs.Authenticate(r.Context(), token)
	switch sdk.CodeOf(err) {
	case "":
		return rs, nil
	case sdk.CodeTokenInvalid, sdk.CodeTokenExpired, sdk.CodeInvalidCredentials, sdk.CodeNotAllowed, sdk.CodeAccessNotFound:
		return rs, refused(err) // the server's verdict on the token
	}
	rs.Close()
	return nil, err
}

type ctxKey struct{}

type entry struct {
	rs  *sdk.RequestSession
	err error // the refusal, if any
}

// Middleware gives every request its session (see Open), for the handler
// to take with FromContext, and closes it when next returns. A request
// that cannot have one goes to the error handler (WithErrorHandler)
// instead of next.
func (s *Sessions) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs, err := s.Open(r)
		if rs == nil {
			s.onError(w, r, err)
			return
		}
		defer rs.Close()
		ctx := context.WithValue(r.Context(), ctxKey{}, &entry{rs: rs, err: err})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// errNoMiddleware: FromContext outside Middleware.
var errNoMiddleware = errors.New("httpauth: no session in this context: serve the handler through Sessions.Middleware")

// FromContext returns the request's session put there by Middleware, and
// the refusal of its cookie's token if there was one (an error matching
// ErrSignedOut; the session is then a guest). Outside Middleware it returns
// nil and an error. The session is closed when the request ends: do not
// keep it.
func FromContext(ctx context.Context) (*sdk.RequestSession, error) {
	e, ok := ctx.Value(ctxKey{}).(*entry)
	if !ok {
		return nil, errNoMiddleware
	}
	return e.rs, e.err
}
