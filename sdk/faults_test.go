//go:build !js

package sdk

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/surrealauth/surrealauth/internal/testserver"
	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// fakeSurreal answers version like a server of that version and hands every other
// request to rest, which may answer nothing, garbage or close the socket.
func fakeSurreal(t *testing.T, rest func(ctx context.Context, ws *websocket.Conn, req map[string]any)) string {
	t.Helper()
	return fakeSurrealVersion(t, "surrealdb-3.0.2", rest)
}

func fakeSurrealVersion(t *testing.T, version string, rest func(ctx context.Context, ws *websocket.Conn, req map[string]any)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"cbor"}})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		for {
			_, data, err := ws.Read(r.Context())
			if err != nil {
				return
			}
			v, _ := rpc.Unmarshal(data)
			req, _ := v.(map[string]any)
			if req["method"] == "version" {
				b, _ := rpc.Marshal(map[string]any{"id": req["id"], "result": version})
				ws.Write(r.Context(), websocket.MessageBinary, b)
				continue
			}
			rest(r.Context(), ws, req)
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/rpc"
}

func TestServerNeverAnswers(t *testing.T) {
	url := fakeSurreal(t, func(context.Context, *websocket.Conn, map[string]any) {})
	c := dial(t, url, WithCallTimeout(200*time.Millisecond))
	start := time.Now()
	_, err := c.Signin(bg, Credentials{Username: "root", Password: "root"})
	mustCode(t, err, CodeTimeout)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("timed out after %v", d)
	}
	if c.Session() != nil {
		t.Fatal("a timed-out signin made a session")
	}
}

func TestServerAnswersGarbage(t *testing.T) {
	url := fakeSurreal(t, func(ctx context.Context, ws *websocket.Conn, req map[string]any) {
		ws.Write(ctx, websocket.MessageBinary, []byte{0x9f, 0xff, 0xff, 0x01}) // not a response
		b, _ := rpc.Marshal(map[string]any{"id": req["id"], "result": int64(42)})
		ws.Write(ctx, websocket.MessageBinary, b) // a reply of the wrong shape
	})
	c := dial(t, url)
	_, err := c.Signin(bg, Credentials{Username: "root", Password: "root"})
	mustCode(t, err, CodeServerError)
	if c.Session() != nil {
		t.Fatal("garbage made a session")
	}
}

func TestServerClosesOverloaded(t *testing.T) {
	url := fakeSurreal(t, func(ctx context.Context, ws *websocket.Conn, req map[string]any) {
		ws.Close(websocket.StatusTryAgainLater, "server overloaded")
	})
	c := dial(t, url, WithReconnect(ReconnectPolicy{Disabled: true}))
	_, err := c.Signin(bg, Credentials{Username: "root", Password: "root"})
	mustCode(t, err, CodeConnectionClosed)
	if !strings.Contains(err.Error(), "connection") {
		t.Fatalf("message %q", err)
	}
	if c.ConnState() != ConnClosed {
		t.Fatalf("state %s", c.ConnState())
	}
}

// failingStore fails every write, as a full or forbidden browser storage.
type failingStore struct{ *MemoryStore }

func (failingStore) Set(string, string) error { return errors.New("QuotaExceededError") }

func TestStoreFailsAfterSignin(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		var told []error
		var mu sync.Mutex
		c := dial(t, srv.URL, WithStore(failingStore{NewMemoryStore()}), WithStorageErrorHandler(func(err error) {
			mu.Lock()
			told = append(told, err)
			mu.Unlock()
		}))
		if _, err := c.Signup(bg, record("allusers", newEmail("quota"), "pw")); err != nil {
			t.Fatalf("a store failure failed the signin: %v", err)
		}
		if c.Session() == nil {
			t.Fatal("no session in memory")
		}
		mu.Lock()
		defer mu.Unlock()
		if len(told) != 1 || CodeOf(told[0]) != CodeStorageUnavailable {
			t.Fatalf("the page was told %v", told)
		}
	})
}

// TestKilledMidRefresh refreshes in a loop while the server is killed: the
// stored record is always one whole pair, the one the session holds.
func TestKilledMidRefresh(t *testing.T) {
	if testserver.External() != "" {
		t.Skip("needs a dev server this test owns (SURREAL_URL is set)")
	}
	srv, err := testserver.Start("3", 0)
	if err != nil {
		t.Fatal(err)
	}
	store := NewMemoryStore()
	c := dial(t, srv.URL, WithStore(store), WithReconnect(ReconnectPolicy{Disabled: true}))
	if _, err := c.Signup(bg, record("refreshing", newEmail("midrefresh"), "pw")); err != nil {
		t.Fatal(err)
	}
	done := make(chan int)
	go func() {
		n := 0
		for {
			if _, err := c.Refresh(bg); err != nil {
				done <- n
				return
			}
			n++
		}
	}()
	time.Sleep(150 * time.Millisecond)
	srv.Kill()
	n := <-done
	rec, ok := c.readStored()
	s := c.Session()
	if !ok || s == nil || rec.Token != s.Token || rec.Refresh != s.RefreshToken {
		t.Fatalf("after %d refreshes the store (%v) and the session (%v) disagree", n, ok, s)
	}
	t.Logf("%d refreshes before the kill; store and session agree", n)
}

// TestConcurrentCallsDuringInvalidate: calls racing a sign-out each end in
// a result or a typed error, and the client ends signed out everywhere.
func TestConcurrentCallsDuringInvalidate(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		store := NewMemoryStore()
		c := dial(t, srv.URL, WithStore(store))
		if _, err := c.Signup(bg, record(refreshAccess(c), newEmail("race-inv"), "pw")); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				switch i % 3 {
				case 0:
					_, err = c.Info(bg)
				case 1:
					_, err = c.Refresh(bg)
				case 2:
					err = c.Ping(bg)
				}
				errs <- err
			}()
		}
		if err := c.Invalidate(bg); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil && CodeOf(err) == "" {
				t.Fatalf("untyped error: %v", err)
			}
		}
		// Auth changes are serialised: a refresh after the sign-out finds
		// no session, so signed out it stays.
		if _, stored := c.readStored(); c.Session() != nil || stored {
			t.Fatalf("after invalidate: session %v, stored=%v", c.Session(), stored)
		}
	})
}
