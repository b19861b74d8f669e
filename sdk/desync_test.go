//go:build !js

package sdk

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
	"github.com/surrealauth/surrealauth/sdk/internal/faultproxy"
	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// These tests put a fault-injecting proxy between the client and the real
// engine and check the one thing an auth client must never get wrong:
// after each call returns, the server's session holds the identity the
// client says it holds (docs/architecture.md#session).

func proxyTo(t *testing.T, srv *testserver.Server) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.Start(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// frameMsg decodes a frame's CBOR map; method is set for requests.
func frameMsg(f faultproxy.Frame) (id, method string) {
	v, err := rpc.Unmarshal(f.Payload)
	m, _ := v.(map[string]any)
	if err != nil || m == nil {
		return "", ""
	}
	if m["id"] != nil {
		id = fmt.Sprint(m["id"])
	}
	method, _ = m["method"].(string)
	return id, method
}

// replyRule acts on the reply to the first request of method on a
// connection accepted (1-based) at least fromConn; hit is closed when the
// reply is held.
func replyRule(method string, fromConn int, act faultproxy.Action, hit chan struct{}) faultproxy.Rule {
	var mu sync.Mutex
	var once sync.Once
	want := map[int]string{}
	return func(f faultproxy.Frame) faultproxy.Action {
		if f.Conn < fromConn {
			return faultproxy.Action{}
		}
		id, m := frameMsg(f)
		mu.Lock()
		defer mu.Unlock()
		if f.ToServer {
			if _, ok := want[f.Conn]; !ok && m == method {
				want[f.Conn] = id
			}
			return faultproxy.Action{}
		}
		if w, ok := want[f.Conn]; ok && w == id && id != "" {
			delete(want, f.Conn)
			want[f.Conn] = "" // once per connection
			once.Do(func() { close(hit) })
			return act
		}
		return faultproxy.Action{}
	}
}

// requestRule acts on the first request of method on any connection.
func requestRule(method string, act faultproxy.Action) faultproxy.Rule {
	var once sync.Once
	return func(f faultproxy.Frame) faultproxy.Action {
		if !f.ToServer {
			return faultproxy.Action{}
		}
		res := faultproxy.Action{}
		if _, m := frameMsg(f); m == method {
			once.Do(func() { res = act })
		}
		return res
	}
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(20 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// connStates records connection states as the listener hears them.
type connStates struct {
	mu  sync.Mutex
	got []ConnState
	ch  chan ConnState
}

func watchConn(c *Client) *connStates {
	s := &connStates{ch: make(chan ConnState, 64)}
	c.OnConnectionChange(func(st ConnState) {
		s.mu.Lock()
		s.got = append(s.got, st)
		s.mu.Unlock()
		s.ch <- st
	})
	return s
}

// until waits for state want, failing after a generous timeout.
func (s *connStates) until(t *testing.T, want ConnState) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case st := <-s.ch:
			if st == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %s state; heard %v", want, s.all())
		}
	}
}

func (s *connStates) all() []ConnState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ConnState(nil), s.got...)
}

// serverIdentity is what the server's session says: the record id of
// $auth, or "" for none. It waits for a reconnect like any call.
func serverIdentity(t *testing.T, c *Client) string {
	t.Helper()
	v := rawInfoNS(t, c)
	if rec, ok := v.(map[string]any); ok {
		return recordIDOf(t, rec)
	}
	return ""
}

// Finding 1: Invalidate while the reconnect is replaying the old token.
// Before: Invalidate gave up waiting for the connection, signed out
// locally and returned nil, and the replayed socket was published still
// signed in as the old user.
func TestInvalidateDuringReconnect(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		c := dial(t, p.URL, WithReconnect(ReconnectPolicy{MinDelay: 20 * time.Millisecond, MaxDelay: 100 * time.Millisecond, Wait: 300 * time.Millisecond}))
		if _, err := c.Signup(bg, record("plain", newEmail("inv-reconnect"), "pw")); err != nil {
			t.Fatal(err)
		}
		held := make(chan struct{})
		// The replay's authenticate answers 1.5 s late: well past the wait.
		p.SetRule(replyRule("authenticate", 2, faultproxy.Action{Delay: 1500 * time.Millisecond}, held))
		p.KillAll()
		waitFor(t, held, "the reconnect's authenticate")
		if err := c.Invalidate(bg); err != nil {
			t.Fatalf("invalidate: %v", err)
		}
		if c.Session() != nil {
			t.Fatal("still signed in locally")
		}
		if id := serverIdentity(t, c); id != "" {
			t.Fatalf("after Invalidate returned, the server session is still %s", id)
		}
		// A later sign-in must not inherit the old record's $auth either.
		if _, err := c.Signin(bg, Credentials{Namespace: testNS, Database: testDB, Username: "dbuser", Password: "dbpass"}); err != nil {
			t.Fatal(err)
		}
		if id := serverIdentity(t, c); id != "" {
			t.Fatalf("the database user's session reports the record user %s", id)
		}
	})
}

// Finding 2: a sign-in whose reply comes after its deadline. The slow
// access takes 2 s; the call gives up after 0.5 s. Before: the server
// switched to B anyway while the client kept A.
func TestLateSigninReplyKeepsServerInLine(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		if _, err := c.Signup(bg, record("plain", newEmail("late-a"), "pw")); err != nil {
			t.Fatal(err)
		}
		a := c.Session().ID
		emailB := newEmail("late-b")
		if _, err := signupRaw(dial(t, srv.URL), record("slow", emailB, "pw")); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ctx, cancel := context.WithTimeout(bg, 500*time.Millisecond)
		_, err := c.Signin(ctx, record("slow", emailB, "pw"))
		cancel()
		mustCode(t, err, CodeTimeout)
		if s := c.Session(); s == nil || s.ID != a {
			t.Fatalf("a timed-out sign-in changed the client's session: %v", s)
		}
		// The server's own work (SIGNIN sleeps 2 s) must be over: its clock.
		time.Sleep(time.Until(start.Add(2500 * time.Millisecond)))
		info, err := c.Info(bg)
		if err != nil || recordIDOf(t, info) != a {
			t.Fatalf("client says %s, server says %v (%v)", a, info, err)
		}
	})
}

// A sign-in whose reply is lost on the way: the server did sign B in.
func TestLostSigninReplyKeepsServerInLine(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		c := dial(t, p.URL)
		if _, err := c.Signup(bg, record("plain", newEmail("lost-a"), "pw")); err != nil {
			t.Fatal(err)
		}
		a := c.Session().ID
		emailB := newEmail("lost-b")
		if _, err := signupRaw(dial(t, srv.URL), record("plain", emailB, "pw")); err != nil {
			t.Fatal(err)
		}
		dropped := make(chan struct{})
		p.SetRule(replyRule("signin", 1, faultproxy.Action{Drop: true}, dropped))
		ctx, cancel := context.WithTimeout(bg, time.Second)
		_, err := c.Signin(ctx, record("plain", emailB, "pw"))
		cancel()
		mustCode(t, err, CodeTimeout)
		waitFor(t, dropped, "the dropped reply")
		if id := serverIdentity(t, c); id != a {
			t.Fatalf("client says %s, server says %q", a, id)
		}
	})
}

// An invalidate that never reaches the server: the client signs out
// locally (a sign-out must not fail for the network), so the server
// session must be reset too.
func TestLostInvalidateSignsServerOut(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		c := dial(t, p.URL, WithCallTimeout(time.Second))
		if _, err := c.Signup(bg, record("plain", newEmail("lost-inv"), "pw")); err != nil {
			t.Fatal(err)
		}
		p.SetRule(requestRule("invalidate", faultproxy.Action{Drop: true}))
		if err := c.Invalidate(bg); err != nil {
			t.Fatalf("invalidate: %v", err)
		}
		if c.Session() != nil {
			t.Fatal("still signed in locally")
		}
		if id := serverIdentity(t, c); id != "" {
			t.Fatalf("client signed out, server still %s", id)
		}
	})
}

// An Invalidate that cannot get its turn before its context ends (the
// replay holds the auth section) fails with timeout and changes nothing:
// client and server both keep the identity.
func TestInvalidateTimesOutCleanly(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		c := dial(t, p.URL, WithReconnect(ReconnectPolicy{MinDelay: 20 * time.Millisecond, MaxDelay: 100 * time.Millisecond, Wait: 5 * time.Second}))
		if _, err := c.Signup(bg, record("plain", newEmail("inv-timeout"), "pw")); err != nil {
			t.Fatal(err)
		}
		a := c.Session().ID
		held := make(chan struct{})
		p.SetRule(replyRule("authenticate", 2, faultproxy.Action{Delay: 1500 * time.Millisecond}, held))
		p.KillAll()
		waitFor(t, held, "the reconnect's authenticate")
		ctx, cancel := context.WithTimeout(bg, 200*time.Millisecond)
		err := c.Invalidate(ctx)
		cancel()
		mustCode(t, err, CodeTimeout)
		if s := c.Session(); s == nil || s.ID != a {
			t.Fatalf("a failed Invalidate changed the session: %v", s)
		}
		if id := serverIdentity(t, c); id != a {
			t.Fatalf("client says %s, server says %q", a, id)
		}
	})
}

// With reconnect disabled, a reset (here: a lost sign-in reply) closes the
// client rather than leave a socket whose server session is unknown.
func TestLostReplyWithoutReconnectCloses(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		c := dial(t, p.URL, WithReconnect(ReconnectPolicy{Disabled: true}))
		states := watchConn(c)
		dropped := make(chan struct{})
		p.SetRule(replyRule("signin", 1, faultproxy.Action{Drop: true}, dropped))
		ctx, cancel := context.WithTimeout(bg, time.Second)
		_, err := c.Signin(ctx, Credentials{Username: "root", Password: "root"})
		cancel()
		mustCode(t, err, CodeTimeout)
		states.until(t, ConnClosed)
		mustCode(t, c.Ping(bg), CodeConnectionClosed)
		if c.Session() != nil || c.ConnState() != ConnClosed {
			t.Fatalf("session %v, state %s", c.Session(), c.ConnState())
		}
	})
}
