package sdk

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

var bg = context.Background()

func TestSystemUserSignin(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		cases := []struct {
			name  string
			creds map[string]any
			ns    string
			db    string
			id    string
		}{
			{"root", map[string]any{"user": "root", "pass": "root"}, "", "", "root"},
			{"namespace", map[string]any{"NS": testNS, "user": "nsuser", "pass": "nspass"}, testNS, "", "nsuser"},
			{"database", map[string]any{"NS": testNS, "DB": testDB, "user": "dbuser", "pass": "dbpass"}, testNS, testDB, "dbuser"},
			{"database, python shape", map[string]any{"namespace": testNS, "database": testDB, "username": "dbuser", "password": "dbpass"}, testNS, testDB, "dbuser"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := dial(t, srv.URL)
				creds, err := ParseCredentials(tc.creds)
				if err != nil {
					t.Fatal(err)
				}
				tok, err := c.Signin(bg, creds)
				if err != nil {
					t.Fatal(err)
				}
				s := c.Session()
				if s == nil || s.Token != tok.Access || s.ID != tc.id || s.Namespace != tc.ns || s.Database != tc.db || s.Access != "" {
					t.Fatalf("session %v", s)
				}
				if s.ExpiresIn(time.Now()) <= 0 {
					t.Fatalf("no expiry in %v", s)
				}
				if info, err := c.Info(bg); err != nil || info != nil {
					t.Fatalf("info for a system user: %v, %v", info, err)
				}
			})
		}
	})
}

// TestSignupSeedShape signs up with the exact object of seed 000, then signs
// in with it, authenticates its token elsewhere and reads info.
func TestSignupSeedShape(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		email := newEmail("seed")
		seed := map[string]any{"NS": testNS, "DB": testDB, "SC": "allusers", "email": email, "password": "some password"}
		creds, err := ParseCredentials(seed)
		if err != nil {
			t.Fatal(err)
		}
		c := dial(t, srv.URL)
		tok, err := c.Signup(bg, creds)
		if err != nil {
			t.Fatalf("signup: %v", err)
		}
		if !strings.HasPrefix(tok.Access, "eyJ") || tok.Refresh != "" {
			t.Fatalf("signup tokens %v", tok)
		}
		s := c.Session()
		if s.Access != "allusers" || s.Namespace != testNS || s.Database != testDB || !strings.HasPrefix(s.ID, "user:") {
			t.Fatalf("session after signup: %v", s)
		}
		info, err := c.Info(bg)
		if err != nil || info == nil {
			t.Fatalf("info: %v %v", info, err)
		}
		if info["email"] != email || recordIDOf(t, info) != s.ID {
			t.Fatalf("info %v does not match session %v", info, s)
		}
		if _, leaked := info["pass"]; leaked {
			t.Fatalf("info returned the password hash")
		}

		// signin with the same object, on a fresh connection
		c2 := dial(t, srv.URL)
		if _, err := c2.Signin(bg, creds); err != nil {
			t.Fatalf("signin: %v", err)
		}
		if c2.Session().ID != s.ID {
			t.Fatalf("signin found %s, signup made %s", c2.Session().ID, s.ID)
		}

		// authenticate with the signup token on a third connection
		c3 := dial(t, srv.URL)
		if err := c3.Authenticate(bg, tok.Access); err != nil {
			t.Fatalf("authenticate: %v", err)
		}
		info3, err := c3.Info(bg)
		if err != nil || recordIDOf(t, info3) != s.ID {
			t.Fatalf("info after authenticate: %v %v", info3, err)
		}
	})
}

func TestInvalidate(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		store := NewMemoryStore()
		c := dial(t, srv.URL, WithStore(store))
		email := newEmail("inv")
		if _, err := c.Signup(bg, record("allusers", email, "pw")); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := store.Get(c.StorageKey()); !ok {
			t.Fatal("nothing stored after signup")
		}
		if err := c.Invalidate(bg); err != nil {
			t.Fatal(err)
		}
		if c.Session() != nil {
			t.Fatal("session kept after invalidate")
		}
		if _, ok, _ := store.Get(c.StorageKey()); ok {
			t.Fatal("stored session kept after invalidate")
		}
		if v := rawInfo(t, c); v != nil && v != (None{}) {
			t.Fatalf("server still has $auth after invalidate: %v", v)
		}
	})
}

func TestStoredRecordHasNoSecrets(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		store := NewMemoryStore()
		c := dial(t, srv.URL, WithStore(store))
		email := newEmail("store")
		tok, err := c.Signup(bg, record("allusers", email, "a secret password"))
		if err != nil {
			t.Fatal(err)
		}
		v, _, _ := store.Get(c.StorageKey())
		if strings.Contains(v, "a secret password") || strings.Contains(v, email) {
			t.Fatalf("stored record holds credentials: %s", v)
		}
		rec, err := decodeStored(v)
		if err != nil || rec.Token != tok.Access || rec.NS != testNS || rec.DB != testDB || rec.AC != "allusers" || rec.Exp == 0 {
			t.Fatalf("stored record %+v (%v)", rec, err)
		}
	})
}

func TestWrongPasswordKeepsIdentity(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		store := NewMemoryStore()
		c := dial(t, srv.URL, WithStore(store))
		email := newEmail("keep")
		if _, err := c.Signup(bg, record("allusers", email, "right")); err != nil {
			t.Fatal(err)
		}
		before := c.Session()
		stored, _, _ := store.Get(c.StorageKey())

		_, err := c.Signin(bg, record("allusers", email, "wrong"))
		mustCode(t, err, CodeInvalidCredentials)
		_, err = c.Signin(bg, Credentials{Username: "root", Password: "wrong"})
		mustCode(t, err, CodeInvalidCredentials)

		if after := c.Session(); after.Token != before.Token {
			t.Fatal("a failed signin changed the session")
		}
		if now, _, _ := store.Get(c.StorageKey()); now != stored {
			t.Fatal("a failed signin changed the stored session")
		}
		info, err := c.Info(bg)
		if err != nil || recordIDOf(t, info) != before.ID {
			t.Fatalf("server identity changed after a failed signin: %v %v", info, err)
		}
	})
}

func TestAccessErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		_, err := c.Signin(bg, record("nosuchaccess", newEmail("x"), "pw"))
		mustCode(t, err, CodeAccessNotFound)
		_, err = c.Signup(bg, record("signinonly", newEmail("x"), "pw"))
		mustCode(t, err, CodeSignupNotAllowed)
		_, err = c.Signin(bg, record("allusers", newEmail("nobody"), "pw"))
		mustCode(t, err, CodeInvalidCredentials)
		if c.Session() != nil {
			t.Fatal("a failed call created a session")
		}
	})
}

func TestTamperedAndMalformedTokens(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		tok, err := c.Signup(bg, record("allusers", newEmail("tamper"), "pw"))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(tok.Access, ".")
		sig := []byte(parts[2])
		sig[3] ^= 0x01 // still base64url, different signature
		tampered := parts[0] + "." + parts[1] + "." + string(sig)

		other := dial(t, srv.URL)
		mustCode(t, other.Authenticate(bg, tampered), CodeTokenInvalid)
		mustCode(t, other.Authenticate(bg, "not-a-jwt"), CodeTokenInvalid)
		if other.Session() != nil {
			t.Fatal("a refused token created a session")
		}
		// A refused token leaves an existing identity alone.
		mustCode(t, c.Authenticate(bg, tampered), CodeTokenInvalid)
		if c.Session().Token != tok.Access {
			t.Fatal("a refused token replaced the session")
		}
	})
}

// TestExpiredToken uses the `short` access (DURATION FOR TOKEN 1s).
func TestExpiredToken(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		tok, err := c.Signup(bg, record("short", newEmail("short"), "pw"))
		if err != nil {
			t.Fatal(err)
		}
		// The server accepts a token through its exp second (integer seconds),
		// so wait until that second is over. This is the server's clock: it
		// cannot be injected.
		exp := c.Session().ExpiresAt
		time.Sleep(time.Until(exp.Add(1100 * time.Millisecond)))
		other := dial(t, srv.URL)
		mustCode(t, other.Authenticate(bg, tok.Access), CodeTokenExpired)
		if other.Session() != nil {
			t.Fatal("an expired token created a session")
		}
	})
}

// TestSwitchIdentityIsClean guards against 3.0.2's stale $auth: after a
// record user, a database-user sign-in must not leave the record as $auth.
func TestSwitchIdentityIsClean(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		if _, err := c.Signup(bg, record("allusers", newEmail("switch"), "pw")); err != nil {
			t.Fatal(err)
		}
		if v := rawInfo(t, c); v == nil || v == (None{}) {
			t.Fatal("record user has no info")
		}
		if _, err := c.Signin(bg, Credentials{Namespace: testNS, Database: testDB, Username: "dbuser", Password: "dbpass"}); err != nil {
			t.Fatal(err)
		}
		if v := rawInfo(t, c); v != nil && v != (None{}) {
			t.Fatalf("after switching to a database user the server still reports the record user: %v", v)
		}
		if s := c.Session(); s.ID != "dbuser" || s.Access != "" {
			t.Fatalf("session after switch: %v", s)
		}
	})
}

func TestConnectionsIsolated(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		a, b := dial(t, srv.URL), dial(t, srv.URL)
		if _, err := a.Signup(bg, record("allusers", newEmail("iso-a"), "pw")); err != nil {
			t.Fatal(err)
		}
		if v := rawInfoNS(t, b); v != nil && v != (None{}) {
			t.Fatalf("connection B sees A's identity: %v", v)
		}
		if _, err := b.Signup(bg, record("allusers", newEmail("iso-b"), "pw")); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 10; i++ {
			ia, err := a.Info(bg)
			if err != nil {
				t.Fatal(err)
			}
			ib, err := b.Info(bg)
			if err != nil {
				t.Fatal(err)
			}
			if recordIDOf(t, ia) != a.Session().ID || recordIDOf(t, ib) != b.Session().ID {
				t.Fatalf("round %d: A sees %v, B sees %v", i, ia["id"], ib["id"])
			}
		}
	})
}

// rawInfoNS selects the schema's namespace first: a guest with no namespace
// gets NamespaceEmpty instead of NONE.
func rawInfoNS(t testing.TB, c *Client) any {
	t.Helper()
	if err := c.Use(bg, testNS, testDB); err != nil {
		t.Fatal(err)
	}
	return rawInfo(t, c)
}

func TestRefreshRotationAndSingleUse(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		email := newEmail("refresh")
		tok, err := c.Signup(bg, record(refreshAccess(c), email, "pw"))
		if err != nil {
			t.Fatal(err)
		}
		if c.Version().Major < 3 {
			mustCode(t, func() error { _, err := c.Refresh(bg); return err }(), CodeUnsupported)
			return
		}
		if !strings.HasPrefix(tok.Refresh, "surreal-refresh-") {
			t.Fatalf("no refresh token from a WITH REFRESH access: %v", tok)
		}
		var events []Event
		done := make(chan struct{}, 4)
		c.OnAuthStateChange(func(ev Event, s *Session) { events = append(events, ev); done <- struct{}{} })
		<-done // INITIAL_SESSION

		next, err := c.Refresh(bg)
		if err != nil {
			t.Fatal(err)
		}
		<-done
		if next.Refresh == tok.Refresh || next.Refresh == "" || next.Access == "" {
			t.Fatalf("refresh did not rotate: %v -> %v", tok, next)
		}
		if c.Session().RefreshToken != next.Refresh || events[1] != EventTokenRefreshed {
			t.Fatalf("session/events after refresh: %v %v", c.Session(), events)
		}
		if info, err := c.Info(bg); err != nil || info["email"] != email {
			t.Fatalf("info after refresh: %v %v", info, err)
		}
		// The spent pair is refused: refresh tokens are single use.
		other := dial(t, srv.URL)
		err = spendPair(other, tok)
		mustCode(t, err, CodeTokenInvalid)
	})
}

func TestRevoke(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		tok, err := c.Signup(bg, record(refreshAccess(c), newEmail("revoke"), "pw"))
		if err != nil {
			t.Fatal(err)
		}
		if c.Version().Major < 3 {
			mustCode(t, c.Revoke(bg), CodeUnsupported)
			return
		}
		if err := c.Revoke(bg); err != nil {
			t.Fatal(err)
		}
		if c.Session().RefreshToken != "" || c.Session().Token != tok.Access {
			t.Fatalf("session after revoke: %v", c.Session())
		}
		other := dial(t, srv.URL)
		err = spendPair(other, tok)
		mustCode(t, err, CodeTokenInvalid)
		// The access token itself still works until it expires.
		if info, err := c.Info(bg); err != nil || info == nil {
			t.Fatalf("info after revoke: %v %v", info, err)
		}
	})
}

func TestRefreshWithoutRefreshToken(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		_, err := c.Refresh(bg)
		if c.Version().Major >= 3 {
			mustCode(t, err, CodeTokenInvalid) // not signed in
			if _, err := c.Signup(bg, record("allusers", newEmail("norefresh"), "pw")); err != nil {
				t.Fatal(err)
			}
			_, err = c.Refresh(bg)
		}
		mustCode(t, err, CodeUnsupported)
	})
}
