package sdk

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// noteUser is a record user of the allusers access with notes of its own.
type noteUser struct {
	email, token, id string
	notes            []string // sorted
}

func newNoteUser(t *testing.T, url, prefix string, notes int) noteUser {
	t.Helper()
	c := dial(t, url)
	u := noteUser{email: newEmail(prefix)}
	tok, err := c.Signup(bg, record("allusers", u.email, "pw"))
	if err != nil {
		t.Fatal(err)
	}
	u.token, u.id = tok.Access, c.Session().ID
	for i := range notes {
		text := fmt.Sprintf("%s note %d", u.email, i)
		if _, err := c.Query(bg, "CREATE note SET text = $t", map[string]any{"t": text}); err != nil {
			t.Fatal(err)
		}
		u.notes = append(u.notes, text)
	}
	slices.Sort(u.notes)
	return u
}

// sessionsOn dials a client for RequestSessions. On a server without them
// (2.x) it checks that NewSession says so, and returns nil.
func sessionsOn(t *testing.T, srv *testserver.Server, opts ...Option) *Client {
	t.Helper()
	c := dial(t, srv.URL, opts...)
	if c.Version().Major >= 3 {
		return c
	}
	s, err := c.NewSession()
	mustCode(t, err, CodeUnsupported)
	if e := err.(*Error); e.Reason != ReasonSingleSession || s != nil {
		t.Fatalf("NewSession on %s: %v (reason %q)", c.Version(), err, e.Reason)
	}
	return nil
}

// attachedSessions lists the server sessions the client's socket holds
// besides its own (the sessions method).
func attachedSessions(t *testing.T, c *Client) []any {
	t.Helper()
	v, err := c.call(bg, "sessions", opOther)
	if err != nil {
		t.Fatal(err)
	}
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("sessions returned %#v", v)
	}
	return list
}

// ownNotes asks, as s's identity, for the notes it may see and who $auth is.
func ownNotes(s *RequestSession) (notes []string, auth string, err error) {
	rows, err := s.Query(bg, "SELECT VALUE text FROM note ORDER BY text; RETURN $auth", nil)
	if err != nil {
		return nil, "", err
	}
	for _, v := range rows[0].([]any) {
		notes = append(notes, v.(string))
	}
	if id, ok := rows[1].(RecordID); ok {
		auth = id.String()
	}
	return notes, auth, nil
}

// TestRequestSessionsOneSocket: 1000 RequestSessions at once on one socket,
// half authenticated as each of two users, each query runs as its own
// identity: the note table's PERMISSIONS show each only its own notes.
// Afterwards every server session is detached, and the client's own
// identity never moved. 2.x: NewSession is unsupported.
func TestRequestSessionsOneSocket(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		shared := sessionsOn(t, srv)
		if shared == nil {
			return
		}
		users := [2]noteUser{newNoteUser(t, srv.URL, "rs-a", 2), newNoteUser(t, srv.URL, "rs-b", 3)}
		own := newEmail("rs-shared")
		if _, err := shared.Signup(bg, record("allusers", own, "pw")); err != nil {
			t.Fatal(err)
		}
		const n = 1000
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				u := users[i%2]
				s, err := shared.NewSession()
				if err != nil {
					errs <- err
					return
				}
				defer s.Close()
				if err := s.Authenticate(bg, u.token); err != nil {
					errs <- err
					return
				}
				notes, auth, err := ownNotes(s)
				switch {
				case err != nil:
					errs <- err
				case auth != u.id || !slices.Equal(notes, u.notes):
					errs <- fmt.Errorf("session %d as %s: $auth %s, notes %q (want %q)", i, u.id, auth, notes, u.notes)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if list := attachedSessions(t, shared); len(list) != 0 {
			t.Errorf("%d server sessions still attached after Close", len(list))
		}
		if rec, _ := rawInfo(t, shared).(map[string]any); rec["email"] != own {
			t.Errorf("the client's own session is now %#v", rec)
		}
	})
}

// TestRequestSessionSignin: Signin, a failed Signin, a switch to another
// user, Invalidate, Use and Close, each on the RequestSession alone.
func TestRequestSessionSignin(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		shared := sessionsOn(t, srv)
		if shared == nil {
			return
		}
		a, b := newNoteUser(t, srv.URL, "rsi-a", 1), newNoteUser(t, srv.URL, "rsi-b", 1)
		s, err := shared.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Signin(bg, record("allusers", a.email, "pw")); err != nil {
			t.Fatal(err)
		}
		expectAs(t, s, a)
		_, err = s.Signin(bg, record("allusers", a.email, "wrong"))
		mustCode(t, err, CodeInvalidCredentials)
		expectAs(t, s, a) // a failed sign-in signs nobody out
		if _, err := s.Signin(bg, record("allusers", b.email, "pw")); err != nil {
			t.Fatal(err)
		}
		expectAs(t, s, b) // the clean switch: nothing of a is left
		// A database user after a record user: without the clean switch the
		// server session would keep b's $auth (docs/protocol.md#identity-switch).
		if _, err := s.Signin(bg, Credentials{Namespace: testNS, Database: testDB, Username: "dbuser", Password: "dbpass"}); err != nil {
			t.Fatal(err)
		}
		if rows, err := s.Query(bg, "RETURN [$auth, $token.ID]", nil); err != nil || rows[0].([]any)[0] != (None{}) || rows[0].([]any)[1] != "dbuser" {
			t.Fatalf("as dbuser after b: [$auth, $token.ID] = %#v, %v", rows, err)
		}
		if err := s.Invalidate(bg); err != nil {
			t.Fatal(err)
		}
		if s.Session() != nil {
			t.Fatal("signed in after Invalidate")
		}
		if err := s.Use(bg, testNS, testDB); err != nil {
			t.Fatal(err)
		}
		rows, err := s.Query(bg, "RETURN [$auth, session::db()]", nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := rows[0].([]any); got[0] != (None{}) || got[1] != testDB {
			t.Fatalf("after Invalidate and Use: [$auth, db] = %#v", got)
		}
		rows, err = shared.Query(bg, "RETURN [$auth, session::db()]", nil)
		if got := rows[0].([]any); err != nil || got[0] != (None{}) || got[1] != (None{}) {
			t.Fatalf("the client's own session: [$auth, db] = %#v, %v", got, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		_, err = s.Query(bg, "RETURN 1", nil)
		mustCode(t, err, CodeConnectionClosed)
		if err := s.Close(); err != nil {
			t.Fatalf("a second Close: %v", err)
		}
		if list := attachedSessions(t, shared); len(list) != 0 {
			t.Fatalf("%d server sessions attached after Close", len(list))
		}
	})
}

func expectAs(t *testing.T, s *RequestSession, u noteUser) {
	t.Helper()
	if got := s.Session(); got == nil || got.ID != u.id {
		t.Fatalf("Session() = %v, want %s", got, u.id)
	}
	rec, err := s.Info(bg)
	if err != nil || rec["email"] != u.email {
		t.Fatalf("Info = %#v, %v; want %s", rec, err, u.email)
	}
	notes, auth, err := ownNotes(s)
	if err != nil || auth != u.id || !slices.Equal(notes, u.notes) {
		t.Fatalf("as %s: $auth %s, notes %q, %v", u.id, auth, notes, err)
	}
}

// TestRequestSessionRefusedToken: a token that is not a JWT is refused
// before sending, one the server refuses changes nothing, and a request
// that never called the server attaches nothing.
func TestRequestSessionRefusedToken(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		shared := sessionsOn(t, srv)
		if shared == nil {
			return
		}
		unused, _ := shared.NewSession()
		if err := unused.Close(); err != nil {
			t.Fatal(err)
		}
		a := newNoteUser(t, srv.URL, "rst", 0)
		s, _ := shared.NewSession()
		defer s.Close()
		mustCode(t, s.Authenticate(bg, "not a token"), CodeTokenInvalid)
		if list := attachedSessions(t, shared); len(list) != 0 {
			t.Fatalf("%d server sessions attached before any call reached the server", len(list))
		}
		forged := a.token[:len(a.token)-4] + "AAAA" // the signature no longer matches
		mustCode(t, s.Authenticate(bg, forged), CodeTokenInvalid)
		if s.Session() != nil {
			t.Fatal("a refused token became the identity")
		}
		rows, err := s.Query(bg, "RETURN $auth", nil)
		if err != nil || rows[0] != (None{}) {
			t.Fatalf("after a refused token: $auth %#v, %v", rows, err)
		}
		if err := s.Authenticate(bg, a.token); err != nil {
			t.Fatal(err)
		}
		expectAs(t, s, a)
	})
}

// TestNewSessionOnClosedClient: a closed client makes no RequestSession.
func TestNewSessionOnClosedClient(t *testing.T) {
	c := dial(t, server(t, "3").URL)
	c.Close()
	_, err := c.NewSession()
	mustCode(t, err, CodeConnectionClosed)
}
