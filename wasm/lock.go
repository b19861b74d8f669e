//go:build js && wasm

package main

import (
	"context"
	"sync"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// lockWait bounds how long a refresh waits for another tab's lock. A
// refresh takes one round trip; a tab stuck far longer is not coming back.
const lockWait = 30 * time.Second

// lockPrefix keeps our Web Lock names apart from the page's own (and from
// names starting with "-", which the Web Locks API reserves).
const lockPrefix = "surrealauth-lock:"

// Lock implements sdk.Locker: the sdk refreshes under it, so two tabs
// sharing the stored session never spend one single-use refresh token.
//
//   - With navigator.locks (every current browser, secure contexts only)
//     the lock holds across the tabs and workers of the origin.
//   - Without it, clients in this page are serialised, and for
//     localStorage a lease kept in localStorage itself stands in for the
//     cross-tab lock. A lease is not a lock (see withLease): two tabs can
//     still, rarely, both believe they hold it.
//   - Memory storage is this client's alone: the page lock suffices.
func (s *browserStore) Lock(ctx context.Context, name string, fn func() error) error {
	wait, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	backend, live := s.live()
	if locks, ok := webLocks(); ok && live {
		return webLock(wait, locks, lockPrefix+name, fn)
	}
	return s.page.locks.Lock(wait, name, func() error {
		if live && s.Kind() == storageLocal {
			return withLease(wait, backend, name, fn)
		}
		return fn()
	})
}

// webLocks returns navigator.locks when the platform has it.
func webLocks() (safejs.Value, bool) {
	nav, err := global("navigator")
	if err != nil || nav.Type() != safejs.TypeObject {
		return safejs.Value{}, false
	}
	locks, err := get(nav, "locks")
	if err != nil || locks.Type() != safejs.TypeObject {
		return safejs.Value{}, false
	}
	return locks, hasMethods(locks, "request")
}

// webLock runs fn while holding the Web Lock name. fn runs here, on the
// caller's goroutine; the lock callback only hands over a Promise that
// keeps the lock until fn is done.
func webLock(ctx context.Context, locks safejs.Value, name string, fn func() error) error {
	req := &lockRequest{granted: make(chan grant, 1)}
	if err := req.start(locks, name); err != nil {
		return &sdk.Error{Code: sdk.CodeUnsupported, Message: "navigator.locks.request failed: " + describe(err), Err: err}
	}
	select {
	case g := <-req.granted:
		if g.err != nil {
			return &sdk.Error{Code: sdk.CodeServerError, Message: "holding the refresh lock: " + describe(g.err), Err: g.err}
		}
		defer g.release()
		return fn()
	case <-ctx.Done():
		req.cancel()
		return &sdk.Error{Code: sdk.CodeTimeout, Message: "waiting for another tab's refresh lock", Err: ctx.Err()}
	}
}

// grant is a held Web Lock: release lets it go.
type grant struct {
	resolve safejs.Value
	err     error
}

func (g grant) release() { _, _ = g.resolve.Invoke() }

// lockRequest is one navigator.locks.request. Its two callbacks live until
// the request's Promise settles: after that the browser calls neither.
type lockRequest struct {
	mu        sync.Mutex
	cancelled bool
	granted   chan grant
	abort     safejs.Value // AbortController, when the platform has one
}

func (r *lockRequest) start(locks safejs.Value, name string) error {
	onGrant, err := safejs.FuncOf(r.onGrant)
	if err != nil {
		return err
	}
	var onSettled safejs.Func
	onSettled, err = safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		onGrant.Release()
		onSettled.Release()
		return nil
	})
	if err != nil {
		onGrant.Release()
		return err
	}
	opts, err := r.options()
	var p safejs.Value
	if err == nil {
		p, err = locks.Call("request", name, opts, onGrant)
	}
	if err == nil {
		_, err = p.Call("then", onSettled, onSettled) // a rejection (abort) is handled here, not reported as unhandled
	}
	if err != nil {
		onGrant.Release()
		onSettled.Release()
	}
	return err
}

// options is {signal} when AbortController exists, so a request given up
// leaves the queue; else {}, and a late grant is handed straight back.
func (r *lockRequest) options() (safejs.Value, error) {
	opts, err := newObject()
	if err != nil {
		return opts, err
	}
	ctor, err := constructor("AbortController")
	if err != nil {
		return opts, nil
	}
	if r.abort, err = ctor.New(); err != nil {
		return opts, nil
	}
	signal, err := get(r.abort, "signal")
	if err == nil {
		err = opts.Set("signal", signal)
	}
	return opts, err
}

// onGrant runs when the browser grants the lock. It returns the Promise the
// lock is held for; undefined gives it straight back.
func (r *lockRequest) onGrant(safejs.Value, []safejs.Value) any {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancelled {
		return nil
	}
	p, resolve, err := deferred()
	r.granted <- grant{resolve: resolve, err: err}
	if err != nil {
		return nil
	}
	return p
}

// cancel gives up the request: it leaves the queue, and a grant that came
// in meanwhile is released at once.
func (r *lockRequest) cancel() {
	r.mu.Lock()
	r.cancelled = true
	r.mu.Unlock()
	if r.abort.Type() == safejs.TypeObject {
		_, _ = r.abort.Call("abort")
	}
	select {
	case g := <-r.granted:
		if g.err == nil {
			g.release()
		}
	default:
	}
}

// deferred returns a new Promise and the function that resolves it.
func deferred() (p, resolve safejs.Value, err error) {
	executor, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolve = args[0]
		return nil
	})
	if err != nil {
		return p, resolve, err
	}
	defer executor.Release() // it runs synchronously inside New
	ctor, err := constructor("Promise")
	if err == nil {
		p, err = ctor.New(executor)
	}
	return p, resolve, err
}
