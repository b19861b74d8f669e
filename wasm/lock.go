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
		seen, next := s.Changes()
		return webLock(wait, locks, lockPrefix+name, fn, func() { s.settle(wait, seen, next) })
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
// keeps the lock until fn is done. When another client held the lock
// (asked first with ifAvailable), settle runs before fn: the previous
// holder may just have written the store.
func webLock(ctx context.Context, locks safejs.Value, name string, fn func() error, settle func()) error {
	g, err := acquire(ctx, locks, name, true)
	if err == nil && g == nil {
		if g, err = acquire(ctx, locks, name, false); err == nil {
			defer g.release()
			settle()
			return fn()
		}
	}
	if err != nil {
		return err
	}
	defer g.release()
	return fn()
}

// acquire waits for the Web Lock name; with ifAvailable, a lock another
// client holds gives nil at once instead.
func acquire(ctx context.Context, locks safejs.Value, name string, ifAvailable bool) (*grant, error) {
	req := &lockRequest{granted: make(chan grant, 1), ifAvailable: ifAvailable}
	if err := req.start(locks, name); err != nil {
		return nil, &sdk.Error{Code: sdk.CodeUnsupported, Message: "navigator.locks.request failed: " + describe(err), Err: err}
	}
	select {
	case g := <-req.granted:
		if g.err != nil {
			return nil, &sdk.Error{Code: sdk.CodeServerError, Message: "holding the refresh lock: " + describe(g.err), Err: g.err}
		}
		if g.busy {
			return nil, nil
		}
		return &g, nil
	case <-ctx.Done():
		req.cancel()
		return nil, &sdk.Error{Code: sdk.CodeTimeout, Message: "waiting for another tab's refresh lock", Err: ctx.Err()}
	}
}

// settleWait bounds settle: the previous holder's write is on its way, or
// it wrote nothing.
const settleWait = time.Second

// settle waits, for localStorage only, until this client heard of another
// client's write since seen (up to settleWait). Chromium hands a tab
// another tab's localStorage write after the lock that tab released (see
// docs/architecture.md#cross-tab): without this, the next holder could
// read the old record and, not seeing the token the previous holder just
// got from the token source, ask the source again. IndexedDB reads the
// committed database, and memory is this client's: neither waits.
func (s *browserStore) settle(ctx context.Context, seen uint64, next <-chan struct{}) {
	if s.Kind() != storageLocal {
		return
	}
	if now, _ := s.Changes(); now != seen {
		return
	}
	t := time.NewTimer(settleWait)
	defer t.Stop()
	select {
	case <-next:
	case <-t.C:
	case <-ctx.Done():
	}
}

// grant is a held Web Lock: release lets it go. busy: an ifAvailable
// request found it held by another client.
type grant struct {
	resolve safejs.Value
	err     error
	busy    bool
}

func (g grant) release() { _, _ = g.resolve.Invoke() }

// lockRequest is one navigator.locks.request. Its two callbacks live until
// the request's Promise settles: after that the browser calls neither.
type lockRequest struct {
	ifAvailable bool

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

// options is {ifAvailable: true} for a request that must not queue; else
// {signal} when AbortController exists, so a request given up leaves the
// queue; else {}, and a late grant is handed straight back.
func (r *lockRequest) options() (safejs.Value, error) {
	opts, err := newObject()
	if err != nil || r.ifAvailable {
		if err == nil { // ifAvailable never queues; the API refuses it together with a signal
			err = opts.Set("ifAvailable", true)
		}
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
func (r *lockRequest) onGrant(_ safejs.Value, args []safejs.Value) any {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancelled {
		return nil
	}
	if lock := argOrUndefined(args, 0); lock.IsNull() {
		r.granted <- grant{busy: true} // ifAvailable, and another client holds it
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
