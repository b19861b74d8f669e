package httpauth_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/httpauth"
)

var now = time.Unix(1_800_000_000, 0)

// jwt builds an unsigned-looking token with the given alg and exp, shaped
// as SurrealDB's are.
func jwt(alg string, exp int64) string {
	enc := base64.RawURLEncoding.EncodeToString
	header := enc([]byte(`{"alg":"` + alg + `","typ":"JWT"}`))
	claims := enc([]byte(`{"iat":1,"exp":` + strconv.FormatInt(exp, 10) + `,"NS":"surrealauth","DB":"demo","AC":"allusers","ID":"user:x"}`))
	return header + "." + claims + ".c2lnbmF0dXJl"
}

// withCookie is a request carrying the Cookie header as a browser sends it.
func withCookie(header string) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	if header != "" {
		r.Header.Set("Cookie", header)
	}
	return r
}

// TestTokenFrom: the cookie's value is the access token verbatim; anything
// else is refused without being sent, and an expired token is no identity.
func TestTokenFrom(t *testing.T) {
	good := jwt("HS512", now.Unix()+60)
	cases := []struct {
		name, header, want string
		refused            bool
	}{
		{"no cookie", "", "", false},
		{"other cookies only", "theme=dark; sid=abc", "", false},
		{"the token, as the browser client writes it", "theme=dark; surrealauth=" + good, good, false},
		{"valid through its last second", "surrealauth=" + jwt("HS512", now.Unix()), jwt("HS512", now.Unix()), false},
		{"expired: no identity", "surrealauth=" + jwt("HS512", now.Unix()-1), "", false},
		{"empty value", "surrealauth=", "", false},
		{"the first of two (the longest path)", "surrealauth=" + good + "; surrealauth=" + jwt("HS512", now.Unix()+1), good, false},
		{"quoted", `surrealauth="` + good + `"`, "", true},
		{"percent-encoded", "surrealauth=" + strings.ReplaceAll(good, ".", "%2E"), "", true},
		{"a refresh token", "surrealauth=surreal-refresh-abcdef", "", true},
		{"two segments", "surrealauth=" + good[:strings.LastIndex(good, ".")], "", true},
		{"an empty segment", "surrealauth=" + strings.Replace(good, ".", "..", 1), "", true},
		{"alg none", "surrealauth=" + jwt("none", now.Unix()+60), "", true},
		{"base64 padding", "surrealauth=" + good + "=", "", true},
		{"too long for a cookie", "surrealauth=" + good + strings.Repeat("A", 4096), "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := httpauth.TokenFrom(withCookie(tc.header), httpauth.DefaultCookieName, now)
			if got != tc.want {
				t.Errorf("token %q, want %q", got, tc.want)
			}
			if refused := errors.Is(err, httpauth.ErrSignedOut); refused != tc.refused || (err != nil && !refused) {
				t.Fatalf("error %v, want refused=%v", err, tc.refused)
			}
			if err != nil {
				if sdk.CodeOf(err) != sdk.CodeTokenInvalid {
					t.Errorf("code %q, want token_invalid", sdk.CodeOf(err))
				}
				if strings.Contains(err.Error(), "c2lnbmF0dXJl") || strings.Contains(err.Error(), "refresh-abcdef") {
					t.Errorf("the error shows the cookie's value: %v", err)
				}
			}
		})
	}
}

// TestTokenFromCookieName: another name reads another cookie.
func TestTokenFromCookieName(t *testing.T) {
	good := jwt("HS512", now.Unix()+60)
	r := withCookie("surrealauth=x; app_session=" + good)
	if got, err := httpauth.TokenFrom(r, "app_session", now); got != good || err != nil {
		t.Fatalf("%q, %v", got, err)
	}
}
