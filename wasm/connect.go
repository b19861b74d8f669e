//go:build js && wasm

package main

import (
	"context"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// page is what the clients of one page share: the lock that serialises
// their refreshes when the browser has no navigator.locks.
type page struct {
	locks sdk.Locker
}

func newPage() *page { return &page{locks: sdk.NewMemoryStore()} }

// connect is the exported connect(url, options): it dials, restores the
// stored session (sdk.Dial does both), starts watching the page and the
// other tabs, and resolves to the db object. Arguments are read now, on
// the caller's turn of the event loop; the network work runs on a
// goroutine.
func (p *page) connect(_ safejs.Value, args []safejs.Value) any {
	cfg, err := readConnectArgs(args)
	if err == nil {
		err = checkCrossTab(cfg.storage, cfg.crossTab)
	}
	if err != nil {
		return rejected(err)
	}
	store, err := newBrowserStore(cfg.storage)
	if err != nil {
		return rejected(err)
	}
	store.pageLock = p.locks
	return newPromise(func() (any, error) {
		if _, err := constructor("WebSocket"); err != nil {
			return nil, &sdk.Error{Code: sdk.CodeUnsupported, Message: "this platform has no WebSocket"}
		}
		opts := append(cfg.options, sdk.WithStore(store))
		client, err := sdk.Dial(context.Background(), cfg.url, opts...)
		if err != nil {
			return nil, err
		}
		d := newDatabase(client, store)
		obj, err := d.export()
		if err == nil {
			err = d.watch(cfg.crossTab)
		}
		if err != nil {
			d.release()
			client.Close()
		}
		return obj, err
	})
}
