//go:build !js

package notes_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/examples/notes"
	"github.com/surrealauth/surrealauth/sdk"
)

var seq atomic.Int64

type user struct {
	email, token string
	notes        []string
}

// signUp makes a record user of the allusers access through the sdk, as the
// browser would, with notes of its own.
func signUp(t *testing.T, url, prefix string, notes ...string) user {
	t.Helper()
	ctx := context.Background()
	c, err := sdk.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	u := user{email: fmt.Sprintf("%s-%d-%d@example.com", prefix, time.Now().UnixNano(), seq.Add(1)), notes: notes}
	tok, err := c.Signup(ctx, sdk.Credentials{Namespace: "surrealauth", Database: "demo", Access: "allusers",
		Variables: map[string]any{"email": u.email, "password": "correct horse"}})
	if err != nil {
		t.Fatal(err)
	}
	u.token = tok.Access
	for _, n := range notes {
		if _, err := c.Query(ctx, "CREATE note SET text = $t", map[string]any{"t": n}); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

// page GETs the server's page with the Cookie header a browser would send.
func page(t *testing.T, base, cookie string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/", nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET / with %.30q: %s %s\n%s", cookie, res.Status, res.Header.Get("Cache-Control"), body)
	}
	return string(body)
}

// TestNotesServer: each user's cookie shows that user's notes and none of
// the other's (HTML-escaped), a request without a cookie, or with a token
// the server refuses, renders signed out. 2.x: the server does not start.
func TestNotesServer(t *testing.T) {
	for _, engine := range engines() {
		t.Run("engine="+engine, func(t *testing.T) {
			url := devServer(t, engine)
			app, err := notes.New(context.Background(), url)
			if engine == "2" {
				if sdk.CodeOf(err) != sdk.CodeUnsupported || !errors.Is(err, sdk.ErrUnsupported) {
					t.Fatalf("on 2.x: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer app.Close()
			srv := httptest.NewServer(app)
			defer srv.Close()
			a := signUp(t, url, "ada", "buy milk", "<b>bold</b> & co")
			b := signUp(t, url, "bob", "call mum")
			for _, tc := range []struct {
				me, other user
			}{{a, b}, {b, a}} {
				body := page(t, srv.URL, "theme=dark; surrealauth="+tc.me.token)
				if !strings.Contains(body, `<span id="email">`+tc.me.email+`</span>`) {
					t.Errorf("%s's page does not name them:\n%s", tc.me.email, body)
				}
				for _, n := range tc.me.notes {
					if !strings.Contains(body, "<li>"+template(n)+"</li>") {
						t.Errorf("%s's page lacks %q:\n%s", tc.me.email, n, body)
					}
				}
				for _, n := range tc.other.notes {
					if strings.Contains(body, template(n)) {
						t.Errorf("%s's page shows %s's note %q", tc.me.email, tc.other.email, n)
					}
				}
			}
			if body := page(t, srv.URL, ""); !strings.Contains(body, `<p id="signed-out">Signed out.</p>`) {
				t.Errorf("without a cookie:\n%s", body)
			}
			forged := a.token[:len(a.token)-4] + "AAAA"
			if body := page(t, srv.URL, "surrealauth="+forged); !strings.Contains(body, "Signed out: your sign-in was not accepted") {
				t.Errorf("a refused token:\n%s", body)
			}
		})
	}
}

// template is how html/template writes s in element text.
func template(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
