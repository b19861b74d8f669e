package sdk

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// TestConcurrentSigninsOneConnection sends 200 signins at once on one
// socket, each for a different user, and checks every reply went to its
// own caller: the token's ID claim must be the user that call named. The
// server runs them concurrently and answers out of order (docs/protocol.md#transport).
func TestConcurrentSigninsOneConnection(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		const n = 200
		c := dial(t, srv.URL)
		users := make([]string, n) // record ids, from signup
		emails := make([]string, n)
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			emails[i] = newEmail(fmt.Sprintf("conc%d", i))
			wg.Add(1)
			go func() {
				defer wg.Done()
				tok, err := signupRaw(c, record("plain", emails[i], "pw"))
				if err != nil {
					errs <- err
					return
				}
				claims, _ := ParseClaims(tok)
				users[i] = claims.ID
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		got := make([]string, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tok, err := signinRaw(c, record("plain", emails[i], "pw"))
				if err == nil {
					claims, _ := ParseClaims(tok)
					got[i] = claims.ID
				}
			}()
		}
		wg.Wait()
		for i := range n {
			if got[i] == "" || got[i] != users[i] {
				t.Fatalf("call %d got the reply for %q, want %q", i, got[i], users[i])
			}
		}
		// And through the public API, which applies auth changes one at a time.
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Signin(bg, record("plain", emails[i], "pw")); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if info, err := c.Info(bg); err != nil || recordIDOf(t, info) != c.Session().ID {
			t.Fatalf("client and server disagree after concurrent signins: %v vs %v (%v)", info, c.Session(), err)
		}
	})
}

// signinRaw sends a signin on the connection without touching the client's
// session, so many can run at once.
func signinRaw(c *Client, cr Credentials) (string, error) { return rawAuth(c, "signin", cr) }
func signupRaw(c *Client, cr Credentials) (string, error) { return rawAuth(c, "signup", cr) }

func rawAuth(c *Client, method string, cr Credentials) (string, error) {
	params, err := cr.wire(c.Version())
	if err != nil {
		return "", err
	}
	v, err := c.call(bg, method, opSignin, params)
	if err != nil {
		return "", err
	}
	tok, err := tokensFrom(v)
	return tok.Access, err
}

// TestServerKilledMidCall: a call in flight when the server dies returns
// connection_closed at once, not after its timeout.
func TestServerKilledMidCall(t *testing.T) {
	if testserver.External() != "" {
		t.Skip("needs a dev server this test owns (SURREAL_URL is set)")
	}
	for _, engine := range testserver.Engines() {
		t.Run("engine="+engine, func(t *testing.T) {
			srv, err := testserver.Start(engine, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Stop()
			c := dial(t, srv.URL)
			email := newEmail("slow")
			if _, err := signupRaw(c, record("slow", email, "pw")); err != nil {
				t.Fatal(err)
			}
			result := make(chan error, 1)
			go func() {
				_, err := c.Signin(bg, record("slow", email, "pw")) // SIGNIN sleeps 2 s
				result <- err
			}()
			time.Sleep(300 * time.Millisecond)
			killed := time.Now()
			srv.Kill()
			select {
			case err := <-result:
				mustCode(t, err, CodeConnectionClosed)
				if d := time.Since(killed); d > time.Second {
					t.Fatalf("connection_closed after %v, want < 1 s", d)
				}
			case <-time.After(time.Second):
				t.Fatal("the call still hangs 1 s after the server died")
			}
			// Later calls wait for the reconnect only as long as they may.
			ctx, cancel := context.WithTimeout(bg, 200*time.Millisecond)
			defer cancel()
			mustCode(t, c.Ping(ctx), CodeConnectionClosed)
		})
	}
}

func TestCallsAfterClose(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		c.Close()
		_, err := c.Signin(bg, Credentials{Username: "root", Password: "root"})
		mustCode(t, err, CodeConnectionClosed)
		mustCode(t, c.Ping(bg), CodeConnectionClosed)
		mustCode(t, c.Authenticate(bg, makeToken(t, map[string]any{"ID": "root"})), CodeConnectionClosed)
	})
}
