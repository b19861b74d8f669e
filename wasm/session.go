//go:build js && wasm

package main

import (
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// sessionToJS is the JS form of s, or null. Times are milliseconds since the
// epoch (null when the token has none); absent names are null. expiresIn is
// left to the JS wrapper, which computes it when read.
func sessionToJS(s *sdk.Session) (safejs.Value, error) {
	if s == nil {
		return safejs.Null(), nil
	}
	obj, err := newObject()
	if err != nil {
		return obj, err
	}
	fields := []struct {
		name  string
		value any
	}{
		{"token", s.Token},
		{"refreshToken", orNull(s.RefreshToken)},
		{"namespace", orNull(s.Namespace)},
		{"database", orNull(s.Database)},
		{"access", orNull(s.Access)},
		{"id", orNull(s.ID)},
		{"expiresAt", millis(s.ExpiresAt)},
	}
	for _, f := range fields {
		if err := obj.Set(f.name, f.value); err != nil {
			return obj, err
		}
	}
	return obj, nil
}

func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func millis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return float64(t.UnixMilli())
}
