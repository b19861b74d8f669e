//go:build js && wasm

package main

import (
	"strconv"
	"time"

	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/jsvalue"
)

// sessionJSON is the JS form of s: {token, refreshToken, namespace,
// database, access, id, expiresAt}, or null. expiresAt is milliseconds since
// the epoch; absent names and times are null. js/bindings.js makes the
// Session object (expiresIn, verified, the hidden tokens) of it.
func sessionJSON(s *sdk.Session) string {
	if s == nil {
		return "null"
	}
	b := make([]byte, 0, 128+len(s.Token)+len(s.RefreshToken))
	for i, f := range [...]struct{ name, value string }{
		{"token", s.Token},
		{"refreshToken", s.RefreshToken},
		{"namespace", s.Namespace},
		{"database", s.Database},
		{"access", s.Access},
		{"id", s.ID},
	} {
		sep := byte(',')
		if i == 0 {
			sep = '{'
		}
		b = append(append(append(b, sep, '"'), f.name...), '"', ':')
		if f.value == "" && i > 0 {
			b = append(b, "null"...)
		} else {
			b, _ = jsvalue.Append(b, f.value)
		}
	}
	b = append(b, `,"expiresAt":`...)
	b = appendMillis(b, s.ExpiresAt)
	return string(append(b, '}'))
}

func appendMillis(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, t.UnixMilli(), 10)
}
