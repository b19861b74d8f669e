//go:build js && wasm

package main

import (
	"context"
	"errors"
	"sync"
	"syscall/js"
	"time"

	"github.com/hack-pad/safejs"
)

// errPromiseTimeout is an awaited Promise that did not settle in time.
var errPromiseTimeout = errors.New("no answer in time (the Promise did not settle)")

// thenable tells whether v is an object or function with a then method:
// what Promise.resolve would wait for.
func thenable(v safejs.Value) bool {
	t := v.Type()
	return (t == safejs.TypeObject || t == safejs.TypeFunction) && hasMethods(v, "then")
}

// awaitValue is v itself when it is not thenable; else what it settles to,
// waited for on this goroutine for at most wait (or ctx). A rejection is
// returned as a js.Error of its reason.
//
// It must never run on the JS event loop's own turn (a js.Func callback):
// the Promise can only settle once that turn has returned, so waiting there
// would deadlock. The sdk calls its Store and token source from goroutines
// (bridge calls, timers, Sync), never from a callback; see
// docs/architecture.md#storage.
//
// The two callbacks stay until the Promise settles, even after a timeout:
// releasing them earlier would make a late settlement call a released
// js.Func, which stops the Go runtime.
func awaitValue(ctx context.Context, v safejs.Value, wait time.Duration) (safejs.Value, error) {
	if !thenable(v) {
		return v, nil
	}
	type result struct {
		v   safejs.Value
		err error
	}
	done := make(chan result, 1)
	var once sync.Once
	var onOK, onErr safejs.Func
	finish := func(r result) {
		once.Do(func() {
			done <- r
			onOK.Release()
			onErr.Release()
		})
	}
	var err error
	onOK, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		finish(result{v: argOrUndefined(args, 0)})
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	onErr, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		finish(result{err: rejection(argOrUndefined(args, 0))})
		return nil
	})
	if err != nil {
		onOK.Release()
		return safejs.Undefined(), err
	}
	if err := resolveThen(v, onOK, onErr); err != nil {
		onOK.Release()
		onErr.Release()
		return safejs.Undefined(), err
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-timer.C:
		return safejs.Undefined(), errPromiseTimeout
	case <-ctx.Done():
		return safejs.Undefined(), ctx.Err()
	}
}

// resolveThen runs Promise.resolve(v).then(onOK, onErr): a real Promise
// calls exactly one of them, once, whatever v's own then does.
func resolveThen(v safejs.Value, onOK, onErr safejs.Func) error {
	ctor, err := constructor("Promise")
	if err != nil {
		return err
	}
	p, err := ctor.Call("resolve", v)
	if err == nil {
		_, err = p.Call("then", onOK, onErr)
	}
	return err
}

// rejection is a Promise's rejection reason as a Go error that describe
// reads ("QuotaExceededError: …").
func rejection(reason safejs.Value) error {
	if reason.Type() == safejs.TypeObject {
		return jsError(reason)
	}
	s, _ := valueText(reason)
	if s == "" {
		s = "rejected"
	}
	return errors.New(s)
}

// valueText is String(v), for messages.
func valueText(v safejs.Value) (string, error) {
	ctor, err := constructor("String")
	if err != nil {
		return "", err
	}
	s, err := ctor.Invoke(v)
	if err != nil {
		return "", err
	}
	return s.String()
}

// jsError wraps a thrown JS object as the error type calls return.
func jsError(v safejs.Value) error { return js.Error{Value: safejs.Unsafe(v)} }
