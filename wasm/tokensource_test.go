//go:build js && wasm

package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// The page's getToken as the bindings wrap it: a Promise of a string or
// null, waited for on the calling goroutine.
func TestTokenSource(t *testing.T) {
	ctx := context.Background()
	if tok, err := tokenSource(evalJS(t, `() => new Promise((r) => setTimeout(() => r("a.b.c"), 1))`))(ctx); tok != "a.b.c" || err != nil {
		t.Fatalf("a token: %q %v", tok, err)
	}
	if tok, err := tokenSource(evalJS(t, `async () => null`))(ctx); tok != "" || err != nil {
		t.Fatalf("null: %q %v", tok, err)
	}
	_, err := tokenSource(evalJS(t, `async () => { throw new TypeError("the provider is down"); }`))(ctx)
	if err == nil || err.Error() != "TypeError: the provider is down" {
		t.Fatalf("a rejection: %v", err)
	}
	_, err = tokenSource(evalJS(t, `() => { throw new Error("sync"); }`))(ctx)
	if err == nil || !strings.Contains(err.Error(), "sync") {
		t.Fatalf("a throw: %v", err)
	}
}

// A getToken that never settles fails once tokenWait is over, or when the
// sdk's context ends first.
func TestTokenSourceTimeout(t *testing.T) {
	defer func(w time.Duration) { tokenWait = w }(tokenWait)
	tokenWait = 20 * time.Millisecond
	never := evalJS(t, `() => new Promise(() => {})`)
	if _, err := tokenSource(never)(context.Background()); !errors.Is(err, errPromiseTimeout) {
		t.Fatalf("no answer: %v", err)
	}
	tokenWait = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := tokenSource(never)(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the context ended: %v", err)
	}
}
