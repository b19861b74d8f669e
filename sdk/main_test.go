package sdk

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// The dev server's schema (devserver/schema.surql).
const (
	testNS = "surrealauth"
	testDB = "demo"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// server is the test binary's engine (see testserver.Shared).
func server(t testing.TB, engine string) *testserver.Server { return testserver.Shared(t, engine) }

// serverWith is a dev server started with extra flags (testserver.SharedWith).
func serverWith(t testing.TB, engine string, flags ...string) *testserver.Server {
	t.Helper()
	return testserver.SharedWith(t, engine, flags...)
}

// eachEngine runs fn once per engine in the matrix, as a named subtest.
func eachEngine(t *testing.T, fn func(t *testing.T, srv *testserver.Server)) {
	testserver.EachEngine(t, fn)
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
