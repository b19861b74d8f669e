//go:build !js

package sdk

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
	"github.com/surrealauth/surrealauth/sdk/internal/faultproxy"
)

// reconnected kills the proxied socket and waits for the client's new one.
func reconnected(t *testing.T, p *faultproxy.Proxy, states *connStates) {
	t.Helper()
	p.KillAll()
	states.until(t, ConnReconnecting)
	states.until(t, ConnConnected)
}

// TestRequestSessionReconnect: a reconnect of the shared socket loses every
// server session on it; a RequestSession's next call attaches a fresh one
// and presents its token again, transparently, on the new socket.
func TestRequestSessionReconnect(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		shared := sessionsOn(t, &testserver.Server{URL: p.URL, Engine: srv.Engine})
		if shared == nil {
			return
		}
		states := watchConn(shared)
		a, b := newNoteUser(t, srv.URL, "rsr-a", 1), newNoteUser(t, srv.URL, "rsr-b", 1)
		sa, _ := shared.NewSession()
		defer sa.Close()
		sb, _ := shared.NewSession()
		defer sb.Close()
		if err := sa.Authenticate(bg, a.token); err != nil {
			t.Fatal(err)
		}
		if err := sb.Authenticate(bg, b.token); err != nil {
			t.Fatal(err)
		}
		if err := sb.Use(bg, testNS, testDB); err != nil { // replayed too
			t.Fatal(err)
		}
		expectAs(t, sa, a)
		reconnected(t, p, states)
		expectAs(t, sa, a)
		expectAs(t, sb, b)
		if n := len(attachedSessions(t, shared)); n != 2 {
			t.Fatalf("%d server sessions on the new socket, want 2", n)
		}
	})
}

// TestRequestSessionExpiredAtReconnect: a token that has expired by the
// time the server session must be attached again cannot be presented: the
// RequestSession fails with session_expired (Reason token_expired), never
// runs as a guest, and works again once it authenticates anew.
func TestRequestSessionExpiredAtReconnect(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		clock := newFakeClock(time.Now())
		shared := sessionsOn(t, &testserver.Server{URL: p.URL, Engine: srv.Engine}, WithClock(clock))
		if shared == nil {
			return
		}
		states := watchConn(shared)
		a, b := newNoteUser(t, srv.URL, "rse-a", 1), newNoteUser(t, srv.URL, "rse-b", 1)
		s, _ := shared.NewSession()
		defer s.Close()
		if err := s.Authenticate(bg, a.token); err != nil {
			t.Fatal(err)
		}
		clock.Advance(2 * time.Hour) // allusers tokens last 1 h
		reconnected(t, p, states)
		for range 2 { // and it stays so
			_, _, err := ownNotes(s)
			mustCode(t, err, CodeSessionExpired)
			if e := err.(*Error); e.Reason != ReasonTokenExpired {
				t.Fatalf("reason %q: %v", e.Reason, err)
			}
			if _, err := s.Info(bg); CodeOf(err) != CodeSessionExpired {
				t.Fatalf("Info: %v", err)
			}
		}
		clock.Advance(-2 * time.Hour)
		if err := s.Authenticate(bg, b.token); err != nil {
			t.Fatal(err)
		}
		expectAs(t, s, b)
	})
}

// TestRequestSessionLostReply: when the reply to a RequestSession's
// authenticate is lost, the server may have signed its server session in
// as the new user or not. The RequestSession keeps the identity it had,
// drops that server session, and its next call runs on a fresh one as the
// identity it says it holds.
func TestRequestSessionLostReply(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		shared := sessionsOn(t, &testserver.Server{URL: p.URL, Engine: srv.Engine}, WithCallTimeout(time.Second))
		if shared == nil {
			return
		}
		a, b := newNoteUser(t, srv.URL, "rsl-a", 1), newNoteUser(t, srv.URL, "rsl-b", 1)
		dropped := make(chan struct{})
		p.SetRule(dropNthReply("authenticate", 2, dropped))
		s, _ := shared.NewSession()
		defer s.Close()
		if err := s.Authenticate(bg, a.token); err != nil {
			t.Fatal(err)
		}
		mustCode(t, s.Authenticate(bg, b.token), CodeTimeout)
		waitFor(t, dropped, "the dropped reply")
		if got := s.Session(); got == nil || got.ID != a.id {
			t.Fatalf("after a lost reply the session says %v, want %s", got, a.id)
		}
		expectAs(t, s, a)
		// The old server session is detached in the background.
		deadline := time.Now().Add(10 * time.Second)
		for n := len(attachedSessions(t, shared)); n != 1; n = len(attachedSessions(t, shared)) {
			if time.Now().After(deadline) {
				t.Fatalf("%d server sessions attached, want 1", n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// dropNthReply drops the reply to the nth request of method (counted over
// all connections); hit is closed when it is dropped.
func dropNthReply(method string, nth int, hit chan struct{}) faultproxy.Rule {
	var mu sync.Mutex
	var seen atomic.Int64
	target := map[int]string{} // conn → request id whose reply to drop
	return func(f faultproxy.Frame) faultproxy.Action {
		id, m := frameMsg(f)
		mu.Lock()
		defer mu.Unlock()
		if f.ToServer {
			if m == method && seen.Add(1) == int64(nth) {
				target[f.Conn] = id
			}
			return faultproxy.Action{}
		}
		if w, ok := target[f.Conn]; ok && w == id {
			delete(target, f.Conn)
			close(hit)
			return faultproxy.Action{Drop: true}
		}
		return faultproxy.Action{}
	}
}
