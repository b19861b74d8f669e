package sdk

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// queryErr asserts err is a query_failed *Error and returns it.
func queryErr(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeQueryFailed {
		t.Fatalf("want query_failed, got %v", err)
	}
	return e
}

// signedUp is a new client signed up through allusers (the note table's
// owners are `user` records).
func signedUp(t *testing.T, srv *testserver.Server, prefix string, opts ...Option) *Client {
	t.Helper()
	c := dial(t, srv.URL, opts...)
	if _, err := c.Signup(bg, record("allusers", newEmail(prefix), "pw")); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestQueryValues(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := signedUp(t, srv, "qvalues")
		me := c.Session().ID
		vals, err := c.Query(bg, "RETURN 1; RETURN $x; RETURN $r; SELECT VALUE email FROM $auth; RETURN d'2024-01-01T00:00:00Z'",
			map[string]any{"x": "two", "r": RecordID{Table: "user", ID: "x"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(vals) != 5 {
			t.Fatalf("%d values, want one per statement: %v", len(vals), vals)
		}
		if vals[0] != int64(1) || vals[1] != "two" {
			t.Fatalf("values %#v", vals[:2])
		}
		if r, ok := vals[2].(RecordID); !ok || r.String() != "user:x" {
			t.Fatalf("a RecordID var came back as %#v", vals[2])
		}
		if emails, ok := vals[3].([]any); !ok || len(emails) != 1 {
			t.Fatalf("SELECT FROM $auth: %#v", vals[3])
		}
		if d, ok := vals[4].(time.Time); !ok || !d.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("datetime: %#v", vals[4])
		}
		if c.Session().ID != me {
			t.Fatal("a query changed the session")
		}
		if vals, err := c.Query(bg, "", nil); err != nil || len(vals) != 0 {
			t.Fatalf("empty query: %v %v", vals, err)
		}
	})
}

func TestQueryFailedStatement(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := signedUp(t, srv, "qfail")
		vals, err := c.Query(bg, `RETURN 1; THROW "boom"; RETURN 3; UPDATE $auth SET email = "nope"`, nil)
		e := queryErr(t, err)
		if e.Statement != 1 || e.Reason != ReasonThrown || e.Message != "Statement 1 failed: boom" || e.ServerMessage != "An error occurred: boom" {
			t.Fatalf("the first failure: %+v", e)
		}
		if len(vals) != 4 || vals[0] != int64(1) || vals[1] != nil || vals[2] != int64(3) || vals[3] != nil {
			t.Fatalf("the values beside the error: %#v", vals)
		}
		_, err = c.Query(bg, `UPDATE $auth SET email = "nope"`, nil)
		if e := queryErr(t, err); e.Reason != ReasonAssertFailed || e.Message != "Statement 0 failed: 'nope' is not a valid email" {
			t.Fatalf("assert: %+v", e)
		}
		_, err = c.Query(bg, "INFO FOR DB", nil)
		if e := queryErr(t, err); e.Reason != ReasonPermissionDenied || e.Statement != 0 {
			t.Fatalf("permission: %+v", e)
		}
		// A parse error runs nothing.
		text := fmt.Sprintf("parsed-%d", time.Now().UnixNano())
		_, err = c.Query(bg, `CREATE note SET text = $t; RETURN (`, map[string]any{"t": text})
		if e := queryErr(t, err); e.Statement != -1 || e.Reason != ReasonParseError || !strings.HasPrefix(e.Message, "The query could not be parsed: ") {
			t.Fatalf("parse error: %+v", e)
		}
		if vals, err := c.Query(bg, "SELECT * FROM note WHERE text = $t", map[string]any{"t": text}); err != nil || len(vals[0].([]any)) != 0 {
			t.Fatalf("a statement of an unparsable query ran: %v %v", vals, err)
		}
		// Variables the server sets itself are refused before sending.
		_, err = c.Query(bg, "RETURN $auth", map[string]any{"auth": 1})
		if e := (*Error)(nil); !errors.As(err, &e) || e.Code != CodeInvalidParams || e.Reason != ReasonProtectedVariable {
			t.Fatalf("protected variable: %v", err)
		}
	})
}

// In a failed transaction the statements that did not run fail too; the
// error names the one that failed of its own accord. Entries are the
// server's: 3.x lists BEGIN (and COMMIT), 2.x does not; a RETURN inside a
// transaction ends it early (docs/protocol.md#query).
func TestQueryTransactionIndex(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		c := dial(t, srv.URL)
		if err := c.Use(bg, testNS, fmt.Sprintf("q_txn_%d", time.Now().UnixNano())); err != nil {
			t.Fatal(err)
		}
		v3 := c.Version().Major >= 3
		if _, err := c.Query(bg, "CREATE t:0; CREATE r:0", nil); err != nil {
			t.Fatal(err)
		}
		vals, err := c.Query(bg, `BEGIN; CREATE t:1; THROW "in txn"; CREATE t:2; COMMIT; SELECT VALUE id FROM t`, nil)
		e := queryErr(t, err)
		want := 1 // 2.x: CREATE, THROW, CREATE, SELECT
		if v3 {
			want = 2 // 3.x: BEGIN, CREATE, THROW, CREATE, SELECT
		}
		if e.Statement != want || e.Reason != ReasonThrown || e.Message != fmt.Sprintf("Statement %d failed: in txn", want) {
			t.Fatalf("failure %+v, want the THROW at entry %d of %d", e, want, len(vals))
		}
		if ids := vals[len(vals)-1].([]any); len(ids) != 1 {
			t.Fatalf("the failed transaction left %v", ids)
		}
		vals, err = c.Query(bg, `BEGIN; CREATE r:1; RETURN 5; CREATE r:2; COMMIT; SELECT VALUE id FROM r`, nil)
		if err != nil {
			t.Fatal(err)
		}
		if (v3 && len(vals) != 5) || (!v3 && len(vals) != 2) {
			t.Fatalf("%d entries for 6 statements: %v", len(vals), vals)
		}
	})
}

func TestQueryPermissions(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		a := signedUp(t, srv, "qperm-a")
		b := signedUp(t, srv, "qperm-b")
		for _, c := range []*Client{a, b} {
			if _, err := c.Query(bg, "CREATE note SET text = $t", map[string]any{"t": "by " + c.Session().ID}); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []*Client{a, b} {
			vals, err := c.Query(bg, "SELECT VALUE text FROM note", nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := vals[0].([]any); len(got) != 1 || got[0] != "by "+c.Session().ID {
				t.Fatalf("%s sees %v", c.Session().ID, got)
			}
		}
		// Another user's notes are invisible, by id too, and cannot be deleted: [] and no error.
		vals, err := a.Query(bg, "SELECT * FROM note WHERE owner = $b; DELETE note WHERE owner = $b RETURN BEFORE", map[string]any{"b": parseRecordID(t, b.Session().ID)})
		if err != nil || len(vals[0].([]any)) != 0 || len(vals[1].([]any)) != 0 {
			t.Fatalf("a sees or deletes b's notes: %v %v", vals, err)
		}
		// The embedded engine's guest is an owner: it sees both users' notes.
		g := dial(t, srv.URL)
		if err := g.Use(bg, testNS, testDB); err != nil {
			t.Fatal(err)
		}
		vals, err = g.Query(bg, "SELECT VALUE text FROM note WHERE owner IN [$a, $b]",
			map[string]any{"a": parseRecordID(t, a.Session().ID), "b": parseRecordID(t, b.Session().ID)})
		if err != nil || len(vals[0].([]any)) != 2 {
			t.Fatalf("guest: %v %v", vals, err)
		}
	})
}

func parseRecordID(t *testing.T, s string) RecordID {
	t.Helper()
	table, id, ok := strings.Cut(s, ":")
	if !ok {
		t.Fatalf("not a record id: %q", s)
	}
	return RecordID{Table: table, ID: id}
}
