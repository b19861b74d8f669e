package httpauth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/httpauth"
)

var seq atomic.Int64

// user signs up a record user of the allusers access with one note, and
// returns its token and the note's text.
func user(t *testing.T, url, prefix string) (token, note string) {
	t.Helper()
	c := dial(t, url)
	email := fmt.Sprintf("%s-%d-%d@example.com", prefix, time.Now().UnixNano(), seq.Add(1))
	tok, err := c.Signup(context.Background(), sdk.Credentials{Namespace: "surrealauth", Database: "demo", Access: "allusers",
		Variables: map[string]any{"email": email, "password": "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	note = "a note of " + email
	if _, err := c.Query(context.Background(), "CREATE note SET text = $t", map[string]any{"t": note}); err != nil {
		t.Fatal(err)
	}
	return tok.Access, note
}

// notesPage lists the notes the request's user may see, or says why not.
func notesPage(w http.ResponseWriter, r *http.Request) {
	s, err := httpauth.FromContext(r.Context())
	if errors.Is(err, httpauth.ErrSignedOut) {
		fmt.Fprint(w, "refused; ")
	}
	if s.Session() == nil {
		fmt.Fprint(w, "signed out")
		return
	}
	rows, err := s.Query(r.Context(), "SELECT VALUE text FROM note", nil)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	fmt.Fprint(w, rows[0])
}

func get(h http.Handler, cookie string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, withCookie(cookie))
	return rec.Code, rec.Body.String()
}

// TestMiddleware: each request queries as its cookie's user, a request
// without one (or with an expired token) is signed out, a refused token is
// signed out with ErrSignedOut, every session is released when its
// request ends, and a request that cannot have a session gets 503.
// 2.x: New is unsupported.
func TestMiddleware(t *testing.T) {
	eachEngine(t, func(t *testing.T, url string) {
		db := dial(t, url)
		sessions, err := httpauth.New(db)
		if db.Version().Major < 3 {
			if e, ok := errors.AsType[*sdk.Error](err); !ok || e.Code != sdk.CodeUnsupported || e.Reason != sdk.ReasonSingleSession {
				t.Fatalf("New on %s: %v", db.Version(), err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		ta, na := user(t, url, "mw-a")
		tb, nb := user(t, url, "mw-b")
		h := sessions.Middleware(http.HandlerFunc(notesPage))
		cases := []struct{ cookie, want string }{
			{"surrealauth=" + ta, "[" + na + "]"},
			{"theme=dark; surrealauth=" + tb, "[" + nb + "]"},
			{"", "signed out"},
			{"surrealauth=" + ta[:len(ta)-4] + "AAAA", "refused; signed out"}, // the server refuses the signature
			{"surrealauth=surreal-refresh-x", "refused; signed out"},
		}
		for _, tc := range cases {
			if code, body := get(h, tc.cookie); code != 200 || body != tc.want {
				t.Errorf("cookie %.40q: %d %q, want %q", tc.cookie, code, body, tc.want)
			}
		}
		later, _ := httpauth.New(db, httpauth.WithClock(fixedClock(time.Now().Add(2*time.Hour))))
		if _, body := get(later.Middleware(http.HandlerFunc(notesPage)), "surrealauth="+ta); body != "signed out" {
			t.Errorf("an expired token: %q", body)
		}
		if _, err := httpauth.FromContext(context.Background()); err == nil {
			t.Error("FromContext outside Middleware gave no error")
		}
		var kept *sdk.RequestSession
		keep := sessions.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			kept, _ = httpauth.FromContext(r.Context())
			notesPage(w, r)
		}))
		if _, body := get(keep, "surrealauth="+ta); body != "["+na+"]" {
			t.Fatalf("%q", body)
		}
		if _, err := kept.Query(context.Background(), "RETURN 1", nil); sdk.CodeOf(err) != sdk.CodeConnectionClosed {
			t.Errorf("the session outlived its request: %v", err)
		}
		db.Close()
		if code, _ := get(h, "surrealauth="+ta); code != http.StatusServiceUnavailable {
			t.Errorf("without a connection: %d", code)
		}
	})
}

// TestOpen: the plain form, closed by the caller; a refused token comes
// with a guest session, and the error says why without the token.
func TestOpen(t *testing.T) {
	eachEngine(t, func(t *testing.T, url string) {
		db := dial(t, url)
		if db.Version().Major < 3 {
			return // TestMiddleware checks New there
		}
		sessions, err := httpauth.New(db, httpauth.WithCookieName("app"))
		if err != nil {
			t.Fatal(err)
		}
		ta, na := user(t, url, "open")
		s, err := sessions.Open(withCookie("app=" + ta))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.Query(context.Background(), "SELECT VALUE text FROM note", nil)
		if err != nil || fmt.Sprint(rows[0]) != "["+na+"]" {
			t.Fatalf("%v, %v", rows, err)
		}
		s.Close()
		forged := ta[:len(ta)-4] + "AAAA"
		s, err = sessions.Open(withCookie("app=" + forged))
		if !errors.Is(err, httpauth.ErrSignedOut) || sdk.CodeOf(err) != sdk.CodeTokenInvalid || s == nil || s.Session() != nil {
			t.Fatalf("a forged token: %v, %v", s, err)
		}
		if strings.Contains(err.Error(), forged[len(forged)-20:]) {
			t.Fatalf("the error shows the token: %v", err)
		}
		s.Close()
	})
}
