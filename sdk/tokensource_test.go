package sdk

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/surrealauth/surrealauth/internal/testserver"
)

// provider stands in for an identity provider: it mints RS256 tokens with
// the test-only key the dev server's idp and idpuser accesses trust
// (devserver/testdata/idp-test-key.pem), counts the calls, and can be
// made to fail.
type provider struct {
	t      testing.TB
	key    *rsa.PrivateKey
	access string // "idpuser" (a record user) or "idp" (a system user)
	id     string // the ID claim, for idpuser
	life   time.Duration
	now    func() time.Time // exp is counted from it: a test's fake clock

	mu    sync.Mutex
	calls int
	fail  error           // returned instead of a token
	empty bool            // return "" and no error
	other *rsa.PrivateKey // sign with this key, which the server does not trust
	sub   string          // the sub claim
}

var (
	idpKeyOnce sync.Once
	idpKey     *rsa.PrivateKey
	idpKeyErr  error
)

func newProvider(t testing.TB, access string) *provider {
	t.Helper()
	idpKeyOnce.Do(func() {
		var pem []byte
		if pem, idpKeyErr = os.ReadFile(filepath.Join("..", "devserver", "testdata", "idp-test-key.pem")); idpKeyErr == nil {
			idpKey, idpKeyErr = jwt.ParseRSAPrivateKeyFromPEM(pem)
		}
	})
	if idpKeyErr != nil {
		t.Fatalf("the test-only idp key: %v", idpKeyErr)
	}
	p := &provider{t: t, key: idpKey, access: access, life: time.Hour, now: time.Now, sub: "idp|test"}
	if access == "idpuser" {
		p.id = fmt.Sprintf("user:idp%d", time.Now().UnixNano())
	}
	return p
}

// source is the WithTokenSource function.
func (p *provider) source(ctx context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	switch {
	case p.fail != nil:
		return "", p.fail
	case p.empty:
		return "", nil
	}
	key := p.key
	if p.other != nil {
		key = p.other
	}
	return p.mintWith(key, p.id), nil
}

func (p *provider) mintWith(key *rsa.PrivateKey, id string) string {
	// iat is the server's time (it is not told of fake clocks); exp counts
	// from the test's clock, which a fake one only ever moves ahead.
	now := time.Now()
	claims := jwt.MapClaims{"NS": testNS, "DB": testDB, "AC": p.access, "iat": now.Unix(),
		"exp": p.now().Add(p.life).Unix(), "jti": fmt.Sprint(now.UnixNano()), "sub": p.sub}
	if id != "" {
		claims["ID"] = id
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
	if err != nil {
		p.t.Fatal(err)
	}
	return tok
}

func (p *provider) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

func (p *provider) set(fn func(p *provider)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p)
}

// whoAmI is what the server session says: $auth as text, or $access for a
// system user of the idp access.
func whoAmI(t *testing.T, c *Client) any {
	t.Helper()
	vals, err := c.Query(bg, "RETURN [$auth, $access]", nil)
	if err != nil {
		t.Fatal(err)
	}
	return vals[0].([]any)[0:2]
}

// At Dial with nothing stored the source is asked; a second client on the
// same store restores that session instead of asking again.
func TestTokenSourceAtDial(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		for _, access := range []string{"idpuser", "idp"} {
			p := newProvider(t, access)
			store := NewMemoryStore()
			c := dial(t, srv.URL, WithStore(store), WithTokenSource(p.source))
			s := c.Session()
			if s == nil || s.Access != access || s.ID != p.id || p.count() != 1 {
				t.Fatalf("%s: session %v after %d calls", access, s, p.count())
			}
			e := listenSessions(c)
			if ev, got := e.next(t); ev != EventInitialSession || got == nil || got.Token != s.Token {
				t.Fatalf("%s: %s %v", access, ev, got)
			}
			want := fmt.Sprint([]any{p.id, access})
			if access == "idp" {
				want = fmt.Sprint([]any{"NONE", access})
			}
			if got := fmt.Sprint(whoAmI(t, c)); got != want {
				t.Fatalf("%s: the server says %s, want %s", access, got, want)
			}
			d := dial(t, srv.URL, WithStore(store), WithTokenSource(p.source))
			if d.Session() == nil || d.Session().Token != s.Token || p.count() != 1 {
				t.Fatalf("%s: the second client did not restore the first's token (%d calls)", access, p.count())
			}
		}
	})
}

// Real time: tokens that expire 3 s after they are minted are renewed
// before they expire, again and again, and the session never lapses.
func TestTokenSourceRenewsBeforeExpiry(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := newProvider(t, "idpuser")
		p.life = 3 * time.Second
		c := dial(t, srv.URL, WithTokenSource(p.source))
		e := listenSessions(c)
		e.next(t) // INITIAL_SESSION
		prev := c.Session()
		for range 2 {
			ev, s := e.next(t)
			if ev != EventTokenRefreshed || s.Token == prev.Token || s.ID != p.id {
				t.Fatalf("%s %v", ev, s)
			}
			if !time.Now().Before(prev.ExpiresAt.Add(time.Second)) {
				t.Fatalf("renewed at %v, after the old token expired at %v", time.Now(), prev.ExpiresAt)
			}
			prev = s
		}
		if got := whoAmI(t, c); fmt.Sprint(got) != fmt.Sprint([]any{p.id, "idpuser"}) {
			t.Fatalf("the server says %v", got)
		}
		if n := p.count(); n < 3 {
			t.Fatalf("%d calls", n)
		}
	})
}

// A database JWT access (idp) names no ID: the sub claim says who the
// token is for. A source whose next token names another subject has
// signed someone else in (SIGNED_IN), not refreshed the same one.
func TestTokenSourceNewSubjectIsSignedIn(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := newProvider(t, "idp")
		p.life = 3 * time.Second
		c := dial(t, srv.URL, WithTokenSource(p.source))
		e := listenSessions(c)
		if ev, s := e.next(t); ev != EventInitialSession || s == nil || s.Subject != "idp|test" {
			t.Fatalf("%s %v", ev, s)
		}
		p.set(func(p *provider) { p.sub = "idp|someone-else" })
		if ev, s := e.next(t); ev != EventSignedIn || s.Subject != "idp|someone-else" {
			t.Fatalf("after the subject changed: %s %v", ev, s)
		}
		p.set(func(p *provider) { p.life = time.Hour })
		if ev, s := e.next(t); ev != EventTokenRefreshed || s.Subject != "idp|someone-else" {
			t.Fatalf("the same subject again: %s %v", ev, s)
		}
	})
}

// advanceTo moves clock to at and runs the timers due by then.
func advanceTo(clock *fakeClock, at time.Time) { clock.Advance(at.Sub(clock.Now())) }

// A provider that starts failing: at renewal the old token is presented
// again (it is still valid), and just after its last valid second the
// source is asked once more; failing again, the session ends with
// SESSION_EXPIRED and ExpiryCause says why.
func TestTokenSourceStartsFailing(t *testing.T) {
	errDown := errors.New("the identity provider is down")
	modes := []struct {
		name   string
		fail   func(p *provider)
		reason string
		check  func(cause error) bool
	}{
		{"error", func(p *provider) { p.fail = errDown }, ReasonTokenSourceFailed, func(c error) bool { return errors.Is(c, errDown) }},
		{"no token", func(p *provider) { p.empty = true }, ReasonNoToken, func(error) bool { return true }},
		{"refused", func(p *provider) { p.other = otherKey(t) }, ReasonTokenRefused, func(c error) bool { return errors.Is(c.(*Error).Err, ErrTokenInvalid) }},
	}
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		for _, m := range modes {
			t.Run(m.name, func(t *testing.T) {
				p := newProvider(t, "idpuser")
				clock := newFakeClock(time.Now())
				p.now = clock.Now
				c := dial(t, srv.URL, WithClock(clock), WithTokenSource(p.source))
				e := listenSessions(c)
				e.next(t) // INITIAL_SESSION
				first := c.Session()
				p.set(m.fail)
				renewAt, _ := c.sess.renewAt(first)
				advanceTo(clock, renewAt)
				if s := c.Session(); s == nil || s.Token != first.Token || p.count() != 2 {
					t.Fatalf("at renewal: %v after %d calls", s, p.count())
				}
				advanceTo(clock, first.ExpiresAt.Add(time.Second))
				if ev, s := e.next(t); ev != EventSessionExpired || s != nil {
					t.Fatalf("%s %v", ev, s)
				}
				cause := c.ExpiryCause()
				if r, _ := expiryReason(c); r != m.reason || !m.check(cause) || p.count() != 3 {
					t.Fatalf("cause %#v after %d calls, want reason %s", cause, p.count(), m.reason)
				}
				if got := fmt.Sprint(whoAmI(t, c)); got != fmt.Sprint([]any{"NONE", "NONE"}) {
					t.Fatalf("the server session is still %s", got)
				}
			})
		}
	})
}

func otherKey(t testing.TB) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Tokens the server refuses give no session at Dial; ExpiryCause keeps
// the server's refusal (here a THROW in idpuser's AUTHENTICATE clause).
func TestTokenSourceRefusedAtDial(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := newProvider(t, "idpuser")
		p.id = "plainuser:x" // the AUTHENTICATE clause THROWs for any other table than user
		c := dial(t, srv.URL, WithTokenSource(p.source))
		if c.Session() != nil || p.count() != 1 {
			t.Fatalf("session %v after %d calls", c.Session(), p.count())
		}
		cause, _ := c.ExpiryCause().(*Error)
		inner, _ := cause.Err.(*Error)
		if cause.Reason != ReasonTokenRefused || inner == nil || inner.Code != CodeTokenInvalid || inner.Reason != ReasonThrown ||
			inner.Message != "The server refused this token: idpuser: the ID claim must name a user record" {
			t.Fatalf("cause %#v, inner %#v", cause, inner)
		}
	})
}

// Two clients sharing a store renew the same session: the source is asked
// once per renewal, and the other client adopts the stored token.
func TestTokenSourceSharedStore(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := newProvider(t, "idpuser")
		store := NewMemoryStore()
		clocks := []*fakeClock{newFakeClock(time.Now()), newFakeClock(time.Now())}
		p.now = clocks[0].Now
		a := dial(t, srv.URL, WithStore(store), WithClock(clocks[0]), WithTokenSource(p.source))
		b := dial(t, srv.URL, WithStore(store), WithClock(clocks[1]), WithTokenSource(p.source))
		if a.Session() == nil || b.Session() == nil || b.Session().Token != a.Session().Token || p.count() != 1 {
			t.Fatalf("dial: %v %v after %d calls", a.Session(), b.Session(), p.count())
		}
		events := []*sessionEvents{listenSessions(a), listenSessions(b)}
		for _, e := range events {
			e.next(t) // INITIAL_SESSION
		}
		for round := 1; round <= 3; round++ {
			old := a.Session().Token
			at, _ := a.sess.renewAt(a.Session())
			var wg sync.WaitGroup
			for _, clock := range clocks {
				wg.Add(1)
				go func() { defer wg.Done(); advanceTo(clock, at) }()
			}
			wg.Wait()
			for i, e := range events {
				if ev, s := e.next(t); ev != EventTokenRefreshed || s.Token == old {
					t.Fatalf("round %d, client %d: %s %v", round, i, ev, s)
				}
			}
			if a.Session().Token != b.Session().Token || p.count() != 1+round {
				t.Fatalf("round %d: %d calls; same token: %v", round, p.count(), a.Session().Token == b.Session().Token)
			}
		}
	})
}
