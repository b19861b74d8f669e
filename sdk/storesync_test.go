//go:build !js

package sdk

import (
	"fmt"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// Clients sharing a store (tabs sharing localStorage) and the connection's
// own announcements, checked against the real engine.

// Finding 5: a stored record with our access token and a corrupted refresh
// token is not a newer pair. Before: Sync adopted it (TOKEN_REFRESHED) and
// the next renewal ended in SESSION_EXPIRED with 15 minutes left.
func TestCorruptStoredRefreshNotAdopted(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		clock := newFakeClock(time.Now())
		store := NewMemoryStore()
		c := dial(t, srv.URL, WithStore(store), WithClock(clock))
		if c.Version().Major < 3 {
			t.Skip("refresh tokens are 3.x only")
		}
		if _, err := c.Signup(bg, record("refreshing", newEmail("garbage"), "pw")); err != nil {
			t.Fatal(err)
		}
		good := c.Session()
		e := listenSessions(c)
		e.next(t) // INITIAL_SESSION
		bad := *good
		bad.RefreshToken = "garbage"
		store.Set(c.StorageKey(), encodeStored(&bad))
		if err := c.Sync(bg); err != nil {
			t.Fatal(err)
		}
		if s := c.Session(); s.RefreshToken != good.RefreshToken {
			t.Fatal("Sync adopted a corrupted refresh token")
		}
		clock.Advance(good.ExpiresAt.Sub(clock.Now()) - 59*time.Second) // renewal is due
		ev, s := e.next(t)
		if ev != EventTokenRefreshed || s == nil || s.RefreshToken == good.RefreshToken {
			t.Fatalf("renewal: %s %v, want TOKEN_REFRESHED with a new pair", ev, s)
		}
	})
}

// Finding 10: a client that was offline while another client sharing its
// store signed out must not sign the old identity back in on reconnect.
func TestReconnectFollowsStoreSignOut(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		store, key := NewMemoryStore(), WithStorageKey("shared:"+t.Name())
		a := dial(t, srv.URL, WithStore(store), key)
		if _, err := a.Signup(bg, record("plain", newEmail("offline"), "pw")); err != nil {
			t.Fatal(err)
		}
		p := proxyTo(t, srv)
		b := dial(t, p.URL, WithStore(store), key, WithReconnect(ReconnectPolicy{MinDelay: 20 * time.Millisecond, MaxDelay: 50 * time.Millisecond}))
		if b.Session() == nil {
			t.Fatal("b did not restore a's session")
		}
		states := watchConn(b)
		e := listenSessions(b)
		e.next(t) // INITIAL_SESSION
		p.Hold()
		p.KillAll()
		states.until(t, ConnReconnecting)
		if err := a.Invalidate(bg); err != nil {
			t.Fatal(err)
		}
		p.Release()
		states.until(t, ConnConnected)
		if ev, _ := e.next(t); ev != EventSignedOut {
			t.Fatalf("event %s, want SIGNED_OUT", ev)
		}
		if b.Session() != nil {
			t.Fatalf("b is signed in as %v after another client signed out", b.Session())
		}
		if id := serverIdentity(t, b); id != "" {
			t.Fatalf("b's server session is %s", id)
		}
	})
}

// The other half of finding 10: a pair refreshed by another client while
// this one was offline is adopted on reconnect, not the spent one replayed.
func TestReconnectAdoptsNewerStoredPair(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		store, key := NewMemoryStore(), WithStorageKey("shared:"+t.Name())
		a := dial(t, srv.URL, WithStore(store), key)
		if a.Version().Major < 3 {
			t.Skip("refresh tokens are 3.x only")
		}
		if _, err := a.Signup(bg, record("refreshing", newEmail("offline-refresh"), "pw")); err != nil {
			t.Fatal(err)
		}
		p := proxyTo(t, srv)
		b := dial(t, p.URL, WithStore(store), key, WithReconnect(ReconnectPolicy{MinDelay: 20 * time.Millisecond, MaxDelay: 50 * time.Millisecond}))
		states := watchConn(b)
		p.Hold()
		p.KillAll()
		states.until(t, ConnReconnecting)
		next, err := a.Refresh(bg)
		if err != nil {
			t.Fatal(err)
		}
		p.Release()
		states.until(t, ConnConnected)
		if s := b.Session(); s == nil || s.Token != next.Access || s.RefreshToken != next.Refresh {
			t.Fatalf("b after reconnect: %v, want a's new pair", s)
		}
	})
}

// Each state is announced once, in order, from the place that sets it.
func TestConnStatesAnnouncedOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		c := dial(t, p.URL, WithReconnect(ReconnectPolicy{MinDelay: 20 * time.Millisecond, MaxDelay: 50 * time.Millisecond}))
		states := watchConn(c)
		for range 3 {
			p.KillAll()
			states.until(t, ConnReconnecting)
			states.until(t, ConnConnected)
			if got := c.ConnState(); got != ConnConnected {
				t.Fatalf("announced connected, ConnState says %s", got)
			}
		}
		c.Close()
		states.until(t, ConnClosed)
		want := []ConnState{ConnReconnecting, ConnConnected, ConnReconnecting, ConnConnected, ConnReconnecting, ConnConnected, ConnClosed}
		if got := states.all(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("states %v, want %v", got, want)
		}
	})
}
