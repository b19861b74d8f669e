package sdk

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// events collects what a listener hears.
type events struct {
	mu  sync.Mutex
	got []Event
	ch  chan Event
}

func listen(c *Client) *events {
	e := &events{ch: make(chan Event, 16)}
	c.OnAuthStateChange(func(ev Event, s *Session) {
		e.mu.Lock()
		e.got = append(e.got, ev)
		e.mu.Unlock()
		e.ch <- ev
	})
	return e
}

func (e *events) next(t testing.TB) Event {
	t.Helper()
	select {
	case ev := <-e.ch:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
		return ""
	}
}

func TestRestoreOnDial(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		store := NewMemoryStore()
		c := dial(t, srv.URL, WithStore(store))
		if _, err := c.Signup(bg, record("allusers", newEmail("restore"), "pw")); err != nil {
			t.Fatal(err)
		}
		want := c.Session()
		c.Close()

		var initial *Session
		got := make(chan struct{})
		c2 := dial(t, srv.URL, WithStore(store))
		c2.OnAuthStateChange(func(ev Event, s *Session) {
			if ev == EventInitialSession {
				initial = s
				close(got)
			}
		})
		<-got
		if initial == nil || initial.ID != want.ID || initial.Token != want.Token {
			t.Fatalf("INITIAL_SESSION %v, want %v", initial, want)
		}
		info, err := c2.Info(bg)
		if err != nil || recordIDOf(t, info) != want.ID {
			t.Fatalf("restored session is not authenticated on the server: %v %v", info, err)
		}
	})
}

func TestRestoreDiscardsBadRecords(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		tok, err := c.Signup(bg, record("allusers", newEmail("bad"), "pw"))
		if err != nil {
			t.Fatal(err)
		}
		good := encodeStored(c.Session())
		tampered := strings.Replace(good, tok.Access, tok.Access[:len(tok.Access)-4]+"AAAA", 1)
		expired := encodeStored(&Session{Token: makeToken(t, map[string]any{"exp": time.Now().Add(-time.Hour).Unix(), "NS": testNS, "DB": testDB, "AC": "allusers", "ID": "user:x"}), ExpiresAt: time.Now().Add(-time.Hour)})
		for name, stored := range map[string]string{
			"not JSON":        "{not json",
			"wrong version":   strings.Replace(good, `"v":1`, `"v":99`, 1),
			"no token":        `{"v":1,"ns":"a","db":"b","exp":0}`,
			"tampered token":  tampered,
			"expired token":   expired,
			"token not a JWT": `{"v":1,"token":"garbage","ns":"a","db":"b","exp":0}`,
		} {
			t.Run(name, func(t *testing.T) {
				store := NewMemoryStore()
				key := DefaultStorageKey(srv.URL)
				store.Set(key, stored)
				c2 := dial(t, srv.URL, WithStore(store))
				if c2.Session() != nil {
					t.Fatalf("restored %v", c2.Session())
				}
				if _, ok, _ := store.Get(key); ok {
					t.Fatal("the unusable record was kept")
				}
				if ev := listen(c2).next(t); ev != EventInitialSession {
					t.Fatalf("first event %s", ev)
				}
			})
		}
	})
}

// TestRestoreExpiredWithRefresh: an expired access token with a live
// refresh token is renewed at restore (3.x).
func TestRestoreExpiredWithRefresh(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		store := NewMemoryStore()
		c := dial(t, srv.URL, WithStore(store))
		if c.Version().Major < 3 {
			t.Skip("refresh tokens are 3.x only (docs/protocol.md#refresh)")
		}
		if _, err := c.Signup(bg, record("refreshing", newEmail("rexp"), "pw")); err != nil {
			t.Fatal(err)
		}
		before := c.Session()
		c.Close()
		// Pretend the access token expired: a later clock.
		later := newFakeClock(before.ExpiresAt.Add(time.Minute))
		c2 := dial(t, srv.URL, WithStore(store), WithClock(later))
		s := c2.Session()
		if s == nil || s.RefreshToken == before.RefreshToken || s.ID != before.ID {
			t.Fatalf("not renewed at restore: %v", s)
		}
		v, _, _ := store.Get(c2.StorageKey())
		if !strings.Contains(v, s.RefreshToken) {
			t.Fatal("the new pair was not stored")
		}
	})
}

func TestRestoreKeepsRecordWhenServerUnreachable(t *testing.T) {
	if testserver.External() != "" {
		t.Skip("needs a dev server this test owns (SURREAL_URL is set)")
	}
	srv, err := testserver.Start(testserver.Engines()[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	store := NewMemoryStore()
	c := dial(t, srv.URL, WithStore(store))
	if _, err := c.Signup(bg, record("allusers", newEmail("down"), "pw")); err != nil {
		t.Fatal(err)
	}
	url := srv.URL
	srv.Kill()
	if _, err := Dial(bg, url, WithStore(store), WithDialTimeout(time.Second)); CodeOf(err) != CodeConnectionFailed {
		t.Fatalf("dial to a dead server: %v", err)
	}
	if _, ok, _ := store.Get(DefaultStorageKey(url)); !ok {
		t.Fatal("a network failure removed the stored session")
	}
}

func TestEventsOrderAndReentry(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		e := listen(c)
		if ev := e.next(t); ev != EventInitialSession {
			t.Fatalf("first event %s", ev)
		}
		// A listener that calls the client back must not deadlock.
		infoDone := make(chan error, 1)
		unsub := c.OnAuthStateChange(func(ev Event, s *Session) {
			if ev == EventSignedIn {
				_, err := c.Info(bg)
				infoDone <- err
			}
		})
		if _, err := c.Signup(bg, record("allusers", newEmail("ev"), "pw")); err != nil {
			t.Fatal(err)
		}
		if ev := e.next(t); ev != EventSignedIn {
			t.Fatalf("after signup: %s", ev)
		}
		select {
		case err := <-infoDone:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a listener calling Info deadlocked")
		}
		unsub()
		if err := c.Invalidate(bg); err != nil {
			t.Fatal(err)
		}
		if ev := e.next(t); ev != EventSignedOut {
			t.Fatalf("after invalidate: %s", ev)
		}
		select {
		case <-infoDone:
			t.Fatal("an unsubscribed listener was called")
		case <-time.After(50 * time.Millisecond):
		}
	})
}

// sessionEvents is listen with the sessions kept.
type sessionEvents struct{ ch chan sessionEvent }

type sessionEvent struct {
	ev   Event
	sess *Session
}

func listenSessions(c *Client) *sessionEvents {
	e := &sessionEvents{ch: make(chan sessionEvent, 16)}
	c.OnAuthStateChange(func(ev Event, s *Session) { e.ch <- sessionEvent{ev, s} })
	return e
}

func (e *sessionEvents) next(t testing.TB) (Event, *Session) {
	t.Helper()
	select {
	case x := <-e.ch:
		return x.ev, x.sess
	case <-time.After(20 * time.Second):
		t.Fatal("no event")
		return "", nil
	}
}
