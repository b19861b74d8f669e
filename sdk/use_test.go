//go:build !js

package sdk

import (
	"fmt"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// selection is what the server session has selected, as a query sees it.
func selection(t *testing.T, c *Client) [2]any {
	t.Helper()
	vals, err := c.Query(bg, "RETURN [session::ns(), session::db()]", nil)
	if err != nil {
		t.Fatal(err)
	}
	sel := vals[0].([]any)
	return [2]any{sel[0], sel[1]}
}

// Use selects for the connection: after the socket dies, the reconnect
// selects the same namespace and database again, and the session (the
// identity) is untouched. A query made while reconnecting waits for it.
func TestUseReplayedAfterReconnect(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		c := dial(t, p.URL)
		states := watchConn(c)
		if _, err := c.Signin(bg, Credentials{Username: "root", Password: "root"}); err != nil {
			t.Fatal(err)
		}
		before := c.Session()
		e := listen(c)
		e.next(t) // INITIAL_SESSION
		db := fmt.Sprintf("use_%d", time.Now().UnixNano())
		if err := c.Use(bg, testNS, db); err != nil {
			t.Fatal(err)
		}
		if got := selection(t, c); got != [2]any{testNS, db} {
			t.Fatalf("selected %v", got)
		}
		p.KillAll()
		states.until(t, ConnReconnecting)
		// The query waits for the reconnect, which selects again first.
		if got := selection(t, c); got != [2]any{testNS, db} {
			t.Fatalf("after the reconnect the server selects %v, want %s/%s", got, testNS, db)
		}
		if after := c.Session(); after.Token != before.Token || after.ID != before.ID {
			t.Fatalf("the session changed: %v -> %v", before, after)
		}
		select {
		case ev := <-e.ch:
			t.Fatalf("an auth event for a Use and a reconnect: %s", ev)
		default:
		}
		// Only the database: the namespace stays.
		if err := c.Use(bg, "", testDB); err != nil || selection(t, c) != [2]any{testNS, testDB} {
			t.Fatalf("use of the database alone: %v %v", err, selection(t, c))
		}
	})
}

// A record user's token binds its namespace and database (the server
// selects them again at every authenticate): Use refuses another one, and
// a guest's selection gives way to a sign-in's, across a reconnect too.
func TestUseBoundByToken(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		p := proxyTo(t, srv)
		c := dial(t, p.URL)
		states := watchConn(c)
		if err := c.Use(bg, testNS, "elsewhere"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Signup(bg, record("plain", newEmail("use-bound"), "pw")); err != nil {
			t.Fatal(err)
		}
		if got := selection(t, c); got != [2]any{testNS, testDB} {
			t.Fatalf("after the sign-in: %v", got)
		}
		mustCode(t, c.Use(bg, testNS, "elsewhere"), CodeNotAllowed)
		mustCode(t, c.Use(bg, "otherns", ""), CodeNotAllowed)
		p.KillAll()
		states.until(t, ConnReconnecting)
		states.until(t, ConnConnected)
		if got := selection(t, c); got != [2]any{testNS, testDB} {
			t.Fatalf("after the reconnect: %v", got)
		}
		// Signed out, the selection the sign-in made stays, as on the server.
		if err := c.Invalidate(bg); err != nil {
			t.Fatal(err)
		}
		p.KillAll()
		states.until(t, ConnReconnecting)
		states.until(t, ConnConnected)
		if got := selection(t, c); got != [2]any{testNS, testDB} {
			t.Fatalf("signed out, after the reconnect: %v", got)
		}
		if err := c.Use(bg, testNS, "elsewhere"); err != nil { // a guest may
			t.Fatal(err)
		}
	})
}
