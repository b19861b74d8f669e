//go:build js && wasm

package main

import (
	"strconv"
	"sync"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/jsvalue"
)

// cookieConfig is the cookie option as js/options.js checked it: the name,
// path and SameSite are always there, the domain only when given, and
// secure already defaulted (true on https).
type cookieConfig struct {
	name, path, domain, sameSite string
	secure                       bool
}

func parseCookieConfig(m map[string]any) *cookieConfig {
	c := &cookieConfig{name: "surrealauth", path: "/", sameSite: "Lax"}
	for key, dst := range map[string]*string{"name": &c.name, "path": &c.path, "domain": &c.domain, "sameSite": &c.sameSite} {
		if s, ok := m[key].(string); ok && s != "" {
			*dst = s
		}
	}
	c.secure, _ = m["secure"].(bool)
	return c
}

// cookieMirror keeps the access token and its expiry in a cookie, in the
// format docs/architecture.md#the-cookie fixes (sdk/httpauth reads it), so
// that the app's own server sees who is signed in. The refresh token never
// goes into it. It is written with the stored record (the store calls
// record on every write and removal, before the call that made it
// resolves), when connect has restored a session, and on every auth event
// from the client's current session (a change followed from another tab
// writes nothing to the store).
type cookieMirror struct {
	cfg *cookieConfig
	now func() time.Time

	mu     sync.Mutex
	last   string // the line last written, so that nothing is written twice
	warned bool
}

// record mirrors a stored record ("" when it was removed).
func (c *cookieMirror) record(value string) {
	if value == "" {
		c.mirror("", time.Time{})
		return
	}
	v, err := jsvalue.Parse([]byte(value))
	m, _ := v.(map[string]any)
	token, _ := m["token"].(string)
	exp, _ := number(m["exp"])
	if err != nil || token == "" {
		c.mirror("", time.Time{})
		return
	}
	var at time.Time
	if exp > 0 {
		at = time.Unix(int64(exp), 0)
	}
	c.mirror(token, at)
}

// session mirrors s (nil: signed out).
func (c *cookieMirror) session(s *sdk.Session) {
	if s == nil {
		c.mirror("", time.Time{})
		return
	}
	c.mirror(s.Token, s.ExpiresAt)
}

func (c *cookieMirror) mirror(token string, exp time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if token != "" && !cookieSafe(token) {
		if !c.warned {
			c.warned = true
			warn("surrealauth: the access token cannot be put in a cookie (not a JWT of at most 4096 bytes); the cookie is cleared")
		}
		token = ""
	}
	line := c.line(token, exp, c.now())
	if line == c.last {
		return
	}
	doc, err := global("document")
	if err == nil && doc.Type() == safejs.TypeObject {
		err = setProp(doc, "cookie", line)
	}
	if err == nil {
		c.last = line
	}
}

// line is the Set-Cookie-like text for document.cookie: the token until
// exp (Expires and Max-Age both; neither without exp), or, for "" or a
// token already expired, the same name, path and domain with Max-Age=0.
func (c *cookieMirror) line(token string, exp, now time.Time) string {
	left := int64(0)
	if !exp.IsZero() {
		left = exp.Unix() - now.Unix()
	}
	b := []byte(c.cfg.name + "=")
	switch {
	case token == "" || (!exp.IsZero() && left <= 0):
		b = append(b, "; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"...)
	case exp.IsZero():
		b = append(b, token...)
	default:
		b = append(b, token...)
		b = append(b, "; Expires="...)
		b = exp.UTC().AppendFormat(b, "Mon, 02 Jan 2006 15:04:05 GMT")
		b = append(b, "; Max-Age="...)
		b = strconv.AppendInt(b, left, 10)
	}
	b = append(b, "; Path="+c.cfg.path...)
	if c.cfg.domain != "" {
		b = append(b, "; Domain="+c.cfg.domain...)
	}
	b = append(b, "; SameSite="+c.cfg.sameSite...)
	if c.cfg.secure {
		b = append(b, "; Secure"...)
	}
	return string(b)
}

// cookieSafe tells whether token can be a cookie's value verbatim: a JWT
// is base64url and dots, all cookie-safe; httpauth reads at most 4096
// bytes.
func cookieSafe(token string) bool {
	if len(token) > 4096 {
		return false
	}
	for i := 0; i < len(token); i++ {
		ch := token[i]
		if !(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch == '.') {
			return false
		}
	}
	return true
}

// reflectSet is Reflect.set, looked up once (see get: a throwing setter,
// document.cookie in a sandboxed frame, must not unwind through Go).
var reflectSet = sync.OnceValues(func() (safejs.Value, error) {
	r, err := safejs.Global().Get("Reflect")
	if err != nil {
		return r, err
	}
	return r.Get("set")
})

// setProp sets v[key] = value through Reflect.set.
func setProp(v safejs.Value, key string, value any) error {
	fn, err := reflectSet()
	if err == nil {
		_, err = fn.Invoke(v, key, value)
	}
	return err
}
