//go:build js && wasm

package main

import (
	"context"
	"sync"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// syncTimeout bounds one reconciliation with the store.
const syncTimeout = 30 * time.Second

// crossTab mirrors in this client what the other clients sharing its
// stored session do: a sign-in, a refresh, a sign-out (sdk.Client.Sync
// reads the store and follows it). What tells it that the store changed:
//   - another client of this page with the same storage and key: the page
//     tells it (page.wrote), since storage events never fire in the tab
//     that wrote, and two clients of one page (React StrictMode, two
//     components) would otherwise never see each other;
//   - localStorage: the storage event, which the browser fires in every
//     other tab of the origin;
//   - a custom storage with crossTab: true, and IndexedDB unless crossTab:
//     false: a BroadcastChannel named after the key, on which each client
//     announces its own writes, since neither has change events;
//   - memory belongs to its client: nothing to mirror.
//
// Following is on for "local" and "session" unless crossTab: false, and
// for a custom storage only with crossTab: true. A client that does not
// follow still hears of writes, for the refresh lock (sdk.StoreWatcher). Bursts of changes are coalesced:
// one Sync at a time, and one more after it if anything changed
// meanwhile. Sync never writes a value that is already stored, so clients
// do not echo each other's changes forever.
type crossTab struct {
	client *sdk.Client
	store  *browserStore
	off    bool

	mu             sync.Mutex
	running, again bool
	// awaiting is set while one goroutine waits for an announced write to
	// show (awaitWrite); until is when it gives up. Announcements extend
	// it, never start a second one: a flood of messages costs one poll.
	awaiting bool
	until    time.Time
}

// startCrossTab wires the client's store to the page's other clients and
// the other tabs. want is the crossTab option (nil: the storage decides).
func startCrossTab(client *sdk.Client, store *browserStore, want *bool, l *listeners) error {
	kind := store.Kind()
	if kind == storageMemory {
		return nil
	}
	// Following is on by default where the storage is shared without
	// asking: localStorage (tabs and this page), sessionStorage (this
	// page's clients), IndexedDB (tabs and workers); a custom storage
	// follows only with crossTab: true.
	follow := kind == storageLocal || kind == storageSession || kind == storageIndexedDB
	if want != nil {
		follow = *want
	}
	x := &crossTab{client: client, store: store, off: !follow}
	key := client.StorageKey()
	*l = append(*l, store.page.join(store, key, x.heardFromPage))
	var announce func()
	switch {
	case kind == storageLocal:
		if err := x.watchStorageEvents(key, l); err != nil {
			return err
		}
	case kind == storageIndexedDB && follow, kind == storageCustom && follow:
		var err error
		if announce, err = x.watchChannel(key, l); err != nil {
			return err
		}
	}
	store.mu.Lock()
	store.onWrite = func(k string) {
		if k != key {
			return
		}
		store.page.wrote(store, k)
		if announce != nil {
			announce()
		}
	}
	store.mu.Unlock()
	*l = append(*l, func() {
		store.mu.Lock()
		store.onWrite = nil
		store.mu.Unlock()
	})
	if x.off {
		return nil
	}
	// A change missed while the connection was down (Sync waits for it only
	// so long) is caught up when it is back.
	*l = append(*l, client.OnConnectionChange(func(s sdk.ConnState) {
		if s == sdk.ConnConnected {
			x.kick()
		}
	}))
	x.kick() // catch a change made between the restore and now
	return nil
}

// heardFromPage is called when another client of this page wrote the key.
func (x *crossTab) heardFromPage() {
	x.store.noteForeignWrite()
	x.kick()
}

func (x *crossTab) watchStorageEvents(key string, l *listeners) error {
	win, ok := eventTarget("")
	if !ok {
		return nil
	}
	return l.add(win, "storage", func(ev safejs.Value) {
		backend, live := x.store.live()
		if !live {
			return // fallen back to memory: the tabs no longer share it
		}
		area, err := get(ev, "storageArea")
		if err != nil || !area.Equal(backend) {
			return
		}
		k, err := get(ev, "key")
		if err != nil {
			return
		}
		if s, _ := k.String(); k.IsNull() || s == key { // null: localStorage.clear()
			x.heardFromPage()
		}
	})
}

// watchChannel listens on the key's BroadcastChannel and returns the
// function that announces this client's writes on it. The message carries
// nothing: a tab that hears one looks whether the store now holds another
// value than the one it knows (awaitWrite), so no digest of the value, and
// never the tokens, travels.
func (x *crossTab) watchChannel(key string, l *listeners) (func(), error) {
	ctor, err := constructor("BroadcastChannel")
	if err != nil {
		return nil, &sdk.Error{Code: sdk.CodeUnsupported, Message: "crossTab with a custom storage needs BroadcastChannel, which this platform lacks"}
	}
	channel, err := ctor.New("surrealauth-sync:" + key)
	if err != nil {
		return nil, err
	}
	if err := l.add(channel, "message", func(safejs.Value) { x.announced(key) }); err != nil {
		_, _ = channel.Call("close")
		return nil, err
	}
	*l = append(*l, func() { _, _ = channel.Call("close") })
	return func() { _, _ = channel.Call("postMessage", "changed") }, nil
}

// How long a tab waits for its own view of a custom storage to show a
// write that another tab announced.
const (
	announcedWait = 2 * time.Second
	announcedPoll = 20 * time.Millisecond
)

// announced is a message on the channel: another tab wrote. It starts the
// one waiter, or gives the running one more time.
func (x *crossTab) announced(key string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.until = time.Now().Add(announcedWait)
	if x.awaiting {
		return
	}
	x.awaiting = true
	go x.awaitWrite(key)
}

// awaitWrite syncs once the store shows another value than this client
// knows. The announcement can overtake the write: a custom storage over
// localStorage sees other tabs' changes only when Chromium has passed them
// on, asynchronously. Syncing before that would find nothing new, and
// nothing would ask again.
func (x *crossTab) awaitWrite(key string) {
	for {
		if x.store.differs(key) {
			break
		}
		x.mu.Lock()
		late := time.Now().After(x.until)
		x.mu.Unlock()
		if late {
			break
		}
		time.Sleep(announcedPoll)
	}
	x.mu.Lock()
	x.awaiting = false
	x.mu.Unlock()
	x.heardFromPage()
}

// kick runs Sync now, or once more after the one under way.
func (x *crossTab) kick() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.off {
		return
	}
	if x.running {
		x.again = true
		return
	}
	x.running = true
	go x.run()
}

func (x *crossTab) run() {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), syncTimeout)
		_ = x.client.Sync(ctx) // a failure leaves this client as it was; the next change tries again
		cancel()
		x.mu.Lock()
		if !x.again {
			x.running = false
			x.mu.Unlock()
			return
		}
		x.again = false
		x.mu.Unlock()
	}
}
