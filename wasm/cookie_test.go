//go:build js && wasm

package main

import (
	"strings"
	"testing"
	"time"
)

// The lines document.cookie is given: docs/architecture.md#the-cookie.
func TestCookieLine(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	exp := now.Add(90 * time.Second)
	def := &cookieMirror{cfg: parseCookieConfig(map[string]any{})}
	all := &cookieMirror{cfg: parseCookieConfig(map[string]any{"name": "sid", "path": "/app", "domain": "example.com", "sameSite": "None", "secure": true})}
	for _, tc := range []struct {
		c     *cookieMirror
		token string
		exp   time.Time
		want  string
	}{
		{def, "a.b.c", exp, "surrealauth=a.b.c; Expires=Fri, 15 Jan 2027 08:01:30 GMT; Max-Age=90; Path=/; SameSite=Lax"},
		{def, "a.b.c", time.Time{}, "surrealauth=a.b.c; Path=/; SameSite=Lax"},
		{def, "a.b.c", now, "surrealauth=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"},
		{def, "", time.Time{}, "surrealauth=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"},
		{all, "a.b.c", exp, "sid=a.b.c; Expires=Fri, 15 Jan 2027 08:01:30 GMT; Max-Age=90; Path=/app; Domain=example.com; SameSite=None; Secure"},
	} {
		if got := tc.c.line(tc.token, tc.exp, now); got != tc.want {
			t.Errorf("line(%q, %v):\n got %s\nwant %s", tc.token, tc.exp, got, tc.want)
		}
	}
}

func TestCookieSafe(t *testing.T) {
	for tok, want := range map[string]bool{
		"eyJh.eyJz.sig-_": true, "a b": false, `"a.b.c"`: false, "a;b": false, "a%2Cb": false,
		strings.Repeat("a", 4096): true, strings.Repeat("a", 4097): false,
	} {
		if cookieSafe(tok) != want {
			t.Errorf("cookieSafe(%.20q) = %v", tok, !want)
		}
	}
}
