//go:build js && wasm

package main

import (
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// database is one connected client as JS sees it: an object of functions
// that js/bindings.js wraps in the public db. Its functions are released by
// close; the wrapper never calls them after that.
type database struct {
	client *sdk.Client
	store  *browserStore

	mu      sync.Mutex
	funcs   []safejs.Func
	subs    map[int]func() // listener id -> unsubscribe
	nextSub int
	page    listeners // page and cross-tab listeners, removed by release
}

func newDatabase(client *sdk.Client, store *browserStore) *database {
	return &database{client: client, store: store, subs: map[int]func(){}}
}

// export builds the JS object. Methods that reach the server return
// Promises; session, storage, subscribe and unsubscribe answer at once.
func (d *database) export() (safejs.Value, error) {
	obj, err := newObject()
	if err != nil {
		return obj, err
	}
	methods := []struct {
		name string
		fn   func(args []safejs.Value) any
	}{
		{"signup", d.signup},
		{"signin", d.signin},
		{"authenticate", d.authenticate},
		{"invalidate", d.invalidate},
		{"info", d.info},
		{"refresh", d.refresh},
		{"session", d.session},
		{"storage", d.storage},
		{"subscribe", d.subscribe},
		{"unsubscribe", d.unsubscribe},
		{"connectionState", d.connectionState},
		{"subscribeConnection", d.subscribeConnection},
		{"close", d.close},
	}
	for _, m := range methods {
		if err := d.setFunc(obj, m.name, m.fn); err != nil {
			d.release()
			return obj, err
		}
	}
	props := map[string]string{
		"storageKey":    d.client.StorageKey(),
		"serverVersion": d.client.Version().Raw,
		"url":           d.client.URL(),
	}
	for k, v := range props {
		if err := obj.Set(k, v); err != nil {
			d.release()
			return obj, err
		}
	}
	return obj, nil
}

func (d *database) setFunc(obj safejs.Value, name string, fn func(args []safejs.Value) any) error {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any { return fn(args) })
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.funcs = append(d.funcs, f)
	d.mu.Unlock()
	return obj.Set(name, f)
}

// watch starts renewing on page events and mirroring other tabs.
func (d *database) watch(crossTab *bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := watchPage(d.client, &d.page); err != nil {
		return err
	}
	return startCrossTab(d.client, d.store, crossTab, &d.page)
}

// release frees every function of the object and removes the listeners.
func (d *database) release() {
	d.mu.Lock()
	funcs, subs, page := d.funcs, d.subs, d.page
	d.funcs, d.subs, d.page = nil, map[int]func(){}, nil
	d.mu.Unlock()
	page.removeAll()
	for _, unsubscribe := range subs {
		unsubscribe()
	}
	for _, f := range funcs {
		f.Release()
	}
}

func (d *database) close(_ []safejs.Value) any {
	return newPromise(func() (any, error) {
		err := d.client.Close()
		d.release()
		return safejs.Undefined(), err
	})
}
