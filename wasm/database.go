//go:build js && wasm

package main

import (
	"sync"

	"github.com/surrealauth/surrealauth/sdk"
)

// database is one connected client as the bridge sees it. Which calls reach
// it after close is the bindings' business (they refuse them); it only
// keeps what close must undo.
type database struct {
	id       int
	b        *bridge
	client   *sdk.Client
	store    *browserStore
	crossTab *bool

	mu       sync.Mutex
	started  bool
	released bool
	subs     map[int]func() // auth listener (the bindings' id) -> unsubscribe
	page     listeners      // page and cross-tab listeners, removed by release
}

// start does what connect left for after the page has its db: the storage
// probe, renewing on page events, following the other tabs and the other
// clients of this page. It runs once; a released client starts nothing.
func (d *database) start(string) any {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started || d.released {
		return nil
	}
	d.started = true
	d.store.probe()
	if err := watchPage(d.client, &d.page); err != nil {
		warn("surrealauth: cannot watch the page for renewal: " + describe(err))
	}
	if err := startCrossTab(d.client, d.store, d.crossTab, &d.page); err != nil {
		warn("surrealauth: cannot follow the other tabs: " + describe(err))
	}
	return nil
}

// release removes the page listeners, the auth subscriptions and the
// handle. Connection subscriptions stay: the closed client's dispatcher
// delivers its last state, "closed", and then stops.
func (d *database) release() {
	d.mu.Lock()
	subs, page := d.subs, d.page
	d.subs, d.page, d.released = map[int]func(){}, nil, true
	d.mu.Unlock()
	page.removeAll()
	for _, unsubscribe := range subs {
		unsubscribe()
	}
	d.b.remove(d.id)
}

// close closes the client; the stored session stays for the next connect.
func (d *database) close(string) (string, error) {
	d.release() // no auth event after close
	return "", d.client.Close()
}
