package sdk

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// Queries run concurrently on one socket while the client switches between
// two users (each switch is a sign-in plus the clean switch's invalidate
// and authenticate). Every query must see one identity throughout — its
// $auth and the owners of the notes it may see agree — and never the
// guest that the switch's gap would show: the embedded engine's guest is an
// owner and would see every note.
func TestQueryConcurrentWithSwitch(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		emails := [2]string{newEmail("qsw-a"), newEmail("qsw-b")}
		ids := map[string]int{}
		for i, email := range emails {
			u := dial(t, srv.URL)
			if _, err := u.Signup(bg, record("allusers", email, "pw")); err != nil {
				t.Fatal(err)
			}
			if _, err := u.Query(bg, "CREATE note SET text = 'mine'", nil); err != nil {
				t.Fatal(err)
			}
			ids[u.Session().ID] = i
		}
		c := dial(t, srv.URL)
		if _, err := c.Signin(bg, record("allusers", emails[0], "pw")); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := range 2 {
				if _, err := c.Signin(bg, record("allusers", emails[(i+1)%2], "pw")); err != nil {
					t.Error(err)
				}
			}
		}()
		const workers = 1000
		var seen [2]atomic.Int64
		var total atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for first := true; first || !closed(done); first = false {
					who, err := oneIdentity(c, ids)
					if err != nil {
						t.Error(err)
						return
					}
					seen[who].Add(1)
					total.Add(1)
				}
			}()
		}
		wg.Wait()
		<-done
		if seen[0].Load() == 0 || seen[1].Load() == 0 {
			t.Fatalf("the queries did not interleave with the switches: %d as A, %d as B", seen[0].Load(), seen[1].Load())
		}
		t.Logf("%d queries: %d as A, %d as B", total.Load(), seen[0].Load(), seen[1].Load())
	})
}

func closed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// oneIdentity runs a query that names its identity twice and says which
// of ids it was, or why it was none.
func oneIdentity(c *Client, ids map[string]int) (int, error) {
	vals, err := c.Query(bg, "RETURN $auth; SELECT VALUE owner FROM note", nil)
	if err != nil {
		return 0, err
	}
	auth, ok := vals[0].(RecordID)
	who, known := ids[auth.String()]
	if !ok || !known {
		return 0, fmt.Errorf("a query ran as %v, neither user", vals[0])
	}
	owners, _ := vals[1].([]any)
	for _, o := range owners {
		if r, _ := o.(RecordID); r.String() != auth.String() {
			return 0, fmt.Errorf("a query as %s saw a note of %v", auth, o)
		}
	}
	if len(owners) != 1 {
		return 0, fmt.Errorf("a query as %s saw %d notes, want its own one", auth, len(owners))
	}
	return who, nil
}

// A server session that expired silently (FOR SESSION 3s) while renewal
// was frozen: the next query is recovered by refreshing (3.x), or ends the
// session when nothing can renew it — and never runs as a guest.
func TestQuerySilentSessionExpiry(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		clock := newFakeClock(time.Now())
		c := dial(t, srv.URL, WithClock(clock))
		v3 := c.Version().Major >= 3
		if !v3 {
			// The dev server's 2.x isolation replays each connection's token
			// before its requests (devserver/README.md): an expired one comes
			// back signed out instead of SessionExpired.
			t.Skip("not observable through the dev server's 2.x session emulation")
		}
		e := listen(c)
		e.next(t) // INITIAL_SESSION
		start := time.Now()
		if _, err := c.Signup(bg, record("shortrefresh", newEmail("qsilent"), "pw")); err != nil {
			t.Fatal(err)
		}
		me := c.Session().ID
		e.next(t) // SIGNED_IN
		sleepPastSession(start, 3)
		vals, err := c.Query(bg, "RETURN <string> $auth", nil)
		if err != nil || vals[0] != me {
			t.Fatalf("not recovered: %v %v", vals, err)
		}
		if ev := e.next(t); ev != EventTokenRefreshed {
			t.Fatalf("event %s, want TOKEN_REFRESHED from the recovery", ev)
		}

		// `short` has no refresh token: the query ends the session.
		start = time.Now()
		if _, err := c.Signup(bg, record("short", newEmail("qsilent2"), "pw")); err != nil {
			t.Fatal(err)
		}
		e.next(t) // SIGNED_IN
		sleepPastSession(start, 3)
		clock.mu.Lock()
		clock.now = time.Now()
		clock.mu.Unlock()
		vals, err = c.Query(bg, "RETURN $auth", nil)
		mustCode(t, err, CodeSessionExpired)
		if vals != nil {
			t.Fatalf("values %v", vals)
		}
		if ev := e.next(t); ev != EventSessionExpired {
			t.Fatalf("event %s", ev)
		}
		if r, ok := expiryReason(c); !ok || r != ReasonTokenExpired {
			t.Fatalf("expiry cause %v", c.ExpiryCause())
		}
	})
}

// expiryReason is the Reason of c's ExpiryCause.
func expiryReason(c *Client) (string, bool) {
	e, ok := c.ExpiryCause().(*Error)
	if !ok {
		return "", false
	}
	return e.Reason, true
}

// Queries pipeline: quick ones sent after a slow one finish first, so none
// waits for another's reply. 3.x runs a session's requests concurrently;
// the dev server's 2.x front runs all requests one at a time
// (devserver/README.md), so there a slow query holds up the others.
func TestQueriesPipeline(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL) // a guest: SLEEP needs more rights than a record user has
		if err := c.Use(bg, testNS, testDB); err != nil {
			t.Fatal(err)
		}
		if c.Version().Major < 3 {
			t.Skip("the dev server's 2.x front serialises requests")
		}
		slow := make(chan error, 1)
		go func() {
			_, err := c.Query(bg, "SLEEP 2s; RETURN 'slow'", nil)
			slow <- err
		}()
		time.Sleep(100 * time.Millisecond) // let the slow query go out first (ordering, not an assertion)
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := oneQuery(c); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		select {
		case err := <-slow:
			t.Fatalf("the slow query finished before the quick ones (%v): they waited for it", err)
		default:
		}
		if err := <-slow; err != nil {
			t.Fatal(err)
		}
	})
}

func oneQuery(c *Client) (any, error) {
	vals, err := c.Query(bg, "RETURN 1", nil)
	if err != nil {
		return nil, err
	}
	return vals[0], nil
}
