//go:build js && wasm

package main

import (
	"context"
	"time"

	"github.com/hack-pad/safejs"
)

// tokenWait bounds one call of the page's getToken: a provider that does
// not answer in that time has failed (SESSION_EXPIRED when nothing else
// renews the session).
var tokenWait = 30 * time.Second

// tokenSource is sdk.WithTokenSource's function over the page's getToken.
// fn is the bindings' wrapper (js/options.js tokenSourceOption): it calls
// getToken a microtask later, so no page code runs with Go on the stack,
// and always returns a Promise of a string or null, rejected when getToken
// threw, rejected or gave anything else.
//
// The sdk calls it inside the client's auth section and under the store's
// Locker, on a goroutine (never the event loop), so it waits for the
// Promise here: see awaitValue.
func tokenSource(fn safejs.Value) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		p, err := fn.Invoke()
		if err != nil {
			return "", tokenSourceError{err}
		}
		v, err := awaitValue(ctx, p, tokenWait)
		if err != nil {
			return "", tokenSourceError{err}
		}
		if v.Type() != safejs.TypeString {
			return "", nil // null: no token, the user signed out at the provider
		}
		return v.String()
	}
}

// tokenSourceError is getToken's failure in the page's words
// ("TypeError: …", "Error: the provider is down").
type tokenSourceError struct{ cause error }

func (e tokenSourceError) Error() string { return describe(e.cause) }

func (e tokenSourceError) Unwrap() error { return e.cause }

// expiryCause answers db.expiryCause: why the last session ended with
// SESSION_EXPIRED (or why connect's getToken gave none), as the error JSON
// of the bridge with its reason, or null.
func (d *database) expiryCause(string) any { return causeJSON(d.client.ExpiryCause()) }

func causeJSON(err error) string {
	if err == nil {
		return "null"
	}
	return errorJSON(err)
}
