package sdk

import (
	"errors"
	"strings"
	"testing"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// accessError asserts err is an *Error with code and reason and returns it.
func accessError(t *testing.T, err error, code Code, reason string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code || e.Reason != reason {
		t.Fatalf("want %s/%s, got %#v", code, reason, err)
	}
	if e.ServerMessage == "" {
		t.Fatalf("the server's own text is lost: %#v", e)
	}
	return e
}

// What a failed record sign-up or sign-in tells the app, on a default
// server (which hides why a SIGNUP failed) and on one run with
// --forward-access-errors (SurrealDB's
// SURREAL_INSECURE_FORWARD_ACCESS_ERRORS), which names the unique index or
// the failed ASSERT (docs/protocol.md#errors).
func TestAccessErrorReasons(t *testing.T) {
	for _, forward := range []bool{false, true} {
		for _, engine := range testserver.Engines() {
			name := "engine=" + engine
			if forward {
				name += "/forward-access-errors"
			}
			t.Run(name, func(t *testing.T) {
				srv := server(t, engine)
				if forward {
					srv = serverWith(t, engine, "--forward-access-errors")
				}
				accessErrors(t, srv, forward)
			})
		}
	}
}

func accessErrors(t *testing.T, srv *testserver.Server, forward bool) {
	c := dial(t, srv.URL)
	email := newEmail("taken")
	if _, err := c.Signup(bg, record("allusers", email, "pw")); err != nil {
		t.Fatal(err)
	}
	if err := c.Invalidate(bg); err != nil {
		t.Fatal(err)
	}
	missing := record("allusers", "", "pw")
	delete(missing.Variables, "email")
	signups := []struct {
		creds   Credentials
		reason  string
		message string // with forwarding
	}{
		{record("allusers", email, "pw2"), ReasonUniqueIndex, "Sign-up was refused: '" + email + "' is already taken (unique index user_email)"},
		{record("allusers", "not-an-email", "pw"), ReasonAssertFailed, "Sign-up was refused: 'not-an-email' is not a valid email"},
		{missing, ReasonFieldType, "Sign-up was refused: email is missing"},
	}
	for _, s := range signups {
		_, err := c.Signup(bg, s.creds)
		if !forward {
			e := accessError(t, err, CodeInvalidCredentials, ReasonAccessQueryFailed)
			if !strings.HasPrefix(e.Message, "Sign-up was refused; the server does not say why") || !strings.Contains(e.ServerMessage, "The record access signup query failed") {
				t.Fatalf("%+v", e)
			}
			continue
		}
		e := accessError(t, err, CodeInvalidCredentials, s.reason)
		if e.Message != s.message {
			t.Fatalf("message %q, want %q (server: %q)", e.Message, s.message, e.ServerMessage)
		}
		if s.reason == ReasonUniqueIndex && (strings.Contains(e.Message, "user:") || !strings.Contains(e.ServerMessage, "user:")) {
			t.Fatalf("the message must not show the other user's record id, the server's text does: %+v", e)
		}
	}
	// A wrong password and an unknown user are one answer, forwarding or not.
	_, wrong := c.Signin(bg, record("allusers", email, "wrong"))
	_, unknown := c.Signin(bg, record("allusers", newEmail("nobody"), "pw"))
	for _, err := range []error{wrong, unknown} {
		if e := accessError(t, err, CodeInvalidCredentials, ReasonNoRecord); e.Message != "No user matches these credentials" {
			t.Fatalf("message %q", e.Message)
		}
	}
	if c.Session() != nil {
		t.Fatal("a refused sign-up or sign-in signed someone in")
	}
	if _, err := c.Signin(bg, record("allusers", email, "pw")); err != nil {
		t.Fatalf("the failures changed the user: %v", err)
	}
}
