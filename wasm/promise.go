//go:build js && wasm

package main

import (
	"fmt"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// work is what a Promise waits for. It runs on its own goroutine and returns
// a value ready for JS (a safejs.Value, a string, nil, …).
type work func() (any, error)

// newPromise starts w on a goroutine and returns the Promise it settles, so
// the JS event loop never waits for the network. If even the Promise cannot
// be made, it returns the Error instead (the JS wrapper rejects with it).
func newPromise(w work) any {
	var resolve, reject safejs.Value
	executor, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolve, reject = args[0], args[1]
		return nil
	})
	if err != nil {
		return jsError(err)
	}
	defer executor.Release() // it ran synchronously inside New
	ctor, err := constructor("Promise")
	if err != nil {
		return jsError(err)
	}
	p, err := ctor.New(executor)
	if err != nil {
		return jsError(err)
	}
	go settle(resolve, reject, w)
	return p
}

// rejected returns a Promise already rejected with err: argument mistakes are
// reported the same way as failures, never thrown.
func rejected(err error) any {
	return newPromise(func() (any, error) { return nil, err })
}

func settle(resolve, reject safejs.Value, w work) {
	v, err := runGuarded(w)
	if err == nil {
		if _, err = resolve.Invoke(v); err == nil {
			return
		}
	}
	_, _ = reject.Invoke(jsError(err)) // nothing is left to tell if even this fails
}

// runGuarded turns a panic in w into an error, so one bad call cannot take
// the whole runtime (and every other client on the page) down with it.
func runGuarded(w work) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, &sdk.Error{Code: sdk.CodeServerError, Message: fmt.Sprint("internal error: ", r)}
		}
	}()
	return w()
}
