package sdk

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
	"github.com/surrealauth/surrealauth/sdk/internal/testserver"
)

// The dev server's schema (devserver/schema.surql).
const (
	testNS = "surrealauth"
	testDB = "demo"
)

var (
	serversMu sync.Mutex
	servers   = map[string]*testserver.Server{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	serversMu.Lock()
	for _, s := range servers {
		s.Stop()
	}
	serversMu.Unlock()
	os.Exit(code)
}

// server returns the shared engine for this test binary: SURREAL_URL if
// set, else a dev server started once. A missing engine fails the test
// with the reason; it is never a skip.
func server(t testing.TB, engine string) *testserver.Server {
	t.Helper()
	serversMu.Lock()
	defer serversMu.Unlock()
	if s, ok := servers[engine]; ok {
		return s
	}
	var s *testserver.Server
	if url := testserver.External(); url != "" {
		s = &testserver.Server{URL: url, Engine: engine}
	} else {
		var err error
		if s, err = testserver.Start(engine, 0); err != nil {
			t.Fatalf("no SurrealDB engine: %v", err)
		}
	}
	servers[engine] = s
	return s
}

// serverWith is a dev server of its own, started with extra flags (e.g.
// --forward-access-errors), shared by the tests that ask for the same ones.
// Against SURREAL_URL (and under js/wasm, which cannot start one) the test
// is skipped: that server's flags are not ours to choose.
func serverWith(t testing.TB, engine string, flags ...string) *testserver.Server {
	t.Helper()
	if testserver.External() != "" {
		t.Skipf("needs a dev server started with %v; SURREAL_URL names one these tests did not start", flags)
	}
	key := engine + " " + strings.Join(flags, " ")
	serversMu.Lock()
	defer serversMu.Unlock()
	if s, ok := servers[key]; ok {
		return s
	}
	s, err := testserver.StartWith(engine, flags...)
	if err != nil {
		t.Fatalf("no SurrealDB engine with %v: %v", flags, err)
	}
	servers[key] = s
	return s
}

// eachEngine runs fn once per engine in the matrix, as a named subtest.
func eachEngine(t *testing.T, fn func(t *testing.T, srv *testserver.Server)) {
	for _, e := range testserver.Engines() {
		t.Run("engine="+e, func(t *testing.T) { fn(t, server(t, e)) })
	}
}

func dial(t testing.TB, url string, opts ...Option) *Client {
	t.Helper()
	c, err := Dial(context.Background(), url, opts...)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var emailSeq atomic.Int64

// newEmail is unique across runs against a long-lived SURREAL_URL server too.
func newEmail(prefix string) string {
	return fmt.Sprintf("%s-%d-%d@example.com", prefix, time.Now().UnixNano(), emailSeq.Add(1))
}

// record builds record-access credentials for the schema's accesses.
func record(access, email, password string) Credentials {
	return Credentials{Namespace: testNS, Database: testDB, Access: access,
		Variables: map[string]any{"email": email, "password": password}}
}

func mustCode(t testing.TB, err error, want Code) {
	t.Helper()
	if got := CodeOf(err); got != want {
		t.Fatalf("error code %q, want %q (err: %v)", got, want, err)
	}
}

// rawInfo asks the server directly, bypassing Info's local short cut, to see
// what the server session really is.
func rawInfo(t testing.TB, c *Client) any {
	t.Helper()
	v, err := c.call(context.Background(), "info", opOther)
	if err != nil {
		t.Fatalf("raw info: %v", err)
	}
	return v
}

func recordIDOf(t testing.TB, rec map[string]any) string {
	t.Helper()
	id, ok := rec["id"].(RecordID)
	if !ok {
		t.Fatalf("record id is %T, want RecordID", rec["id"])
	}
	return id.String()
}

// refreshAccess is the schema's WITH REFRESH access on 3.x; 2.x has no
// refresh tokens, so there it is a plain record access (schema-v2.surql).
func refreshAccess(c *Client) string {
	if c.Version().Major >= 3 {
		return "refreshing"
	}
	return "allusers"
}

// readStored reads the client's stored record.
func (c *Client) readStored() (storedSession, bool) {
	v, ok, err := c.opts.store.Get(c.key)
	if err != nil || !ok {
		return storedSession{}, false
	}
	rec, err := decodeStored(v)
	return rec, err == nil
}

// spendPair sends refresh with pair on c's connection without making the
// result c's session's business beyond what refreshOn does.
func spendPair(c *Client, pair Tokens) error {
	return c.exclusive(bg, needLive, func(ctx context.Context, sock *rpc.Conn) error {
		return c.refreshOn(ctx, sock, &Session{Token: pair.Access, RefreshToken: pair.Refresh}, "")
	})
}
