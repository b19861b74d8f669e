//go:build js && wasm

package main

import (
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// The bridge (docs/architecture.md#bridge). JS calls three functions, made
// once for the life of the page:
//
//	connect(id, config, storage, early)  starts a client; settles id with its handle
//	call(db, id, method, arg)            an async method of client db; settles id
//	read(db, method, arg)                a sync method of client db; returns its answer
//
// and Go answers through two functions of the loader's, also made once:
// settle(id, ok, text) settles the Promise js/bindings.js keeps under id,
// and emit(sub, a, b, c) hands an event to the listener registered as sub.
// Arguments and results are strings (JSON in the sdk/jsvalue form where
// they are structured) and numbers, so a call makes a handful of JS value
// references, not one per property, and no js.Func.
type bridge struct {
	settleFn, emitFn safejs.Value
	page             *page

	mu   sync.Mutex
	dbs  map[int]*database
	next int
}

// calls are the async methods: each runs on its own goroutine, so the JS
// event loop never waits for the network, and its result text settles the
// call's Promise ("" resolves it to undefined). Adding one is one line here
// and one in js/bindings.js.
var calls = map[string]func(d *database, arg string) (string, error){
	"signup":       (*database).signup,
	"signin":       (*database).signin,
	"authenticate": (*database).authenticate,
	"invalidate":   (*database).invalidate,
	"info":         (*database).info,
	"refresh":      (*database).refresh,
	"query":        (*database).query,
	"use":          (*database).use,
	"close":        (*database).close,
}

// reads are the sync methods: they answer at once, on the caller's turn.
var reads = map[string]func(d *database, arg string) any{
	"session":             (*database).session,
	"storage":             (*database).storageKind,
	"expiryCause":         (*database).expiryCause,
	"connectionState":     (*database).connectionState,
	"subscribe":           (*database).subscribe,
	"subscribeConnection": (*database).subscribeConnection,
	"unsubscribe":         (*database).unsubscribe,
	"start":               (*database).start,
}

// exports is Go's half: the three functions above.
func (b *bridge) exports() (safejs.Value, error) {
	obj, err := newObject()
	for _, e := range []struct {
		name string
		fn   func([]safejs.Value) any
	}{{"connect", b.connect}, {"call", b.call}, {"read", b.read}} {
		if err != nil {
			break
		}
		fn := e.fn
		var f safejs.Func
		if f, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any { return fn(args) }); err == nil {
			err = obj.Set(e.name, f)
		}
	}
	return obj, err
}

// call is call(db, id, method, arg).
func (b *bridge) call(args []safejs.Value) any {
	id := intArg(args, 1)
	d, fn := b.lookup(intArg(args, 0)), calls[stringArg(args, 2)]
	arg := stringArg(args, 3)
	if d == nil || fn == nil {
		go b.settle(id, func() (string, error) { return "", errInternal("no such client or method") })
		return nil
	}
	go b.settle(id, func() (string, error) { return fn(d, arg) })
	return nil
}

// read is read(db, method, arg).
func (b *bridge) read(args []safejs.Value) any {
	d, fn := b.lookup(intArg(args, 0)), reads[stringArg(args, 1)]
	if d == nil || fn == nil {
		return nil
	}
	return fn(d, stringArg(args, 2))
}

// settle runs w and settles Promise id with its result. A panic in w
// becomes a server_error, so that one bad call cannot take the runtime
// (and every other client on the page) down with it.
func (b *bridge) settle(id int, w func() (string, error)) {
	text, err := guarded(w)
	if err != nil {
		_, _ = b.settleFn.Invoke(id, false, errorJSON(err))
		return
	}
	if _, err := b.settleFn.Invoke(id, true, text); err != nil {
		_, _ = b.settleFn.Invoke(id, false, errorJSON(err)) // nothing is left to tell if even this fails
	}
}

func guarded(w func() (string, error)) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", errInternal(panicText(r))
		}
	}()
	return w()
}

// emit hands a listener its event: emit(sub, a, b, c).
func (b *bridge) emit(sub int, a, c, d string) {
	_, _ = b.emitFn.Invoke(sub, a, c, d)
}

func (b *bridge) add(d *database) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	b.dbs[b.next] = d
	return b.next
}

func (b *bridge) lookup(id int) *database {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dbs[id]
}

func (b *bridge) remove(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.dbs, id)
}

func intArg(args []safejs.Value, i int) int {
	if i >= len(args) {
		return 0
	}
	n, _ := args[i].Int()
	return n
}

func stringArg(args []safejs.Value, i int) string {
	if i >= len(args) || args[i].Type() != safejs.TypeString {
		return ""
	}
	s, _ := args[i].String()
	return s
}

func errInternal(what string) error {
	return &sdk.Error{Code: sdk.CodeServerError, Message: "internal error: " + what}
}

func panicText(r any) string {
	switch x := r.(type) {
	case error:
		return x.Error()
	case string:
		return x
	}
	return "a panic"
}
