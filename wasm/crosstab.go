//go:build js && wasm

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// syncTimeout bounds one reconciliation with the store.
const syncTimeout = 30 * time.Second

// crossTab mirrors in this client what other tabs sharing its stored
// session do: a sign-in, a refresh, a sign-out (sdk.Client.Sync reads the
// store and follows it). What tells it that the store changed:
//   - localStorage: the storage event, which the browser fires in every
//     other tab of the origin (never in the tab that wrote);
//   - a custom storage with crossTab: true: a BroadcastChannel named after
//     the key, on which each client announces its own writes, since a
//     custom storage has no events of its own;
//   - sessionStorage and memory belong to one tab: nothing to mirror.
//
// Bursts of changes are coalesced: one Sync at a time, and one more after
// it if anything changed meanwhile. Sync never writes a value that is
// already stored, so two tabs do not echo each other's changes forever.
type crossTab struct {
	client *sdk.Client
	off    bool // crossTab: false: hear of writes, follow none

	mu             sync.Mutex
	running, again bool
}

// startCrossTab wires the client's store to the other tabs, if its kind
// shares anything with them. want is the crossTab option (nil: default).
func startCrossTab(client *sdk.Client, store *browserStore, want *bool, l *listeners) error {
	x := &crossTab{client: client}
	switch store.Kind() {
	case storageLocal:
		x.off = want != nil && !*want // still listen: the refresh lock needs to hear of writes (see retryStale)
		if err := x.watchStorageEvents(store, client.StorageKey(), l); err != nil {
			return err
		}
		if x.off {
			return nil
		}
	case storageCustom:
		if want == nil || !*want {
			return nil
		}
		if err := x.watchChannel(store, client.StorageKey(), l); err != nil {
			return err
		}
	default:
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

// checkCrossTab refuses crossTab: true where it cannot work.
func checkCrossTab(storage safejs.Value, want *bool) error {
	if want == nil || !*want || storage.Type() != safejs.TypeString {
		return nil
	}
	switch name, _ := storage.String(); name {
	case storageSession, storageMemory:
		return invalidParams(`crossTab needs storage shared by tabs: "local" or a custom storage; "` + name + `" belongs to one tab`)
	}
	return nil
}

func (x *crossTab) watchStorageEvents(store *browserStore, key string, l *listeners) error {
	win, ok := eventTarget("")
	if !ok {
		return nil
	}
	return l.add(win, "storage", func(ev safejs.Value) {
		backend, live := store.live()
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
			store.noteForeignWrite()
			x.kick()
		}
	})
}

func (x *crossTab) watchChannel(store *browserStore, key string, l *listeners) error {
	ctor, err := constructor("BroadcastChannel")
	if err != nil {
		return &sdk.Error{Code: sdk.CodeUnsupported, Message: "crossTab with a custom storage needs BroadcastChannel, which this platform lacks"}
	}
	channel, err := ctor.New("surrealauth-sync:" + key)
	if err != nil {
		return err
	}
	if err := l.add(channel, "message", func(ev safejs.Value) {
		data, _ := get(ev, "data")
		digest, _ := data.String()
		go x.awaitWrite(store, key, digest)
	}); err != nil {
		_, _ = channel.Call("close")
		return err
	}
	store.mu.Lock()
	store.onWrite = func(k, value string, removed bool) {
		if k == key {
			_, _ = channel.Call("postMessage", valueDigest(value, removed))
		}
	}
	store.mu.Unlock()
	*l = append(*l, func() {
		store.mu.Lock()
		store.onWrite = nil
		store.mu.Unlock()
		_, _ = channel.Call("close")
	})
	return nil
}

// How long a tab waits for its own view of a custom storage to show a
// write that another tab announced.
const (
	announcedWait = 2 * time.Second
	announcedPoll = 20 * time.Millisecond
)

// awaitWrite syncs once the store shows the write another tab announced.
// The announcement can overtake the write: a custom storage over
// localStorage sees other tabs' changes only when Chromium has passed them
// on, asynchronously. Syncing before that would find nothing new, and
// nothing would ask again.
func (x *crossTab) awaitWrite(store *browserStore, key, digest string) {
	deadline := time.Now().Add(announcedWait)
	for time.Now().Before(deadline) {
		v, ok, err := store.Get(key)
		if err != nil || valueDigest(v, !ok) == digest {
			break
		}
		time.Sleep(announcedPoll)
	}
	store.noteForeignWrite()
	x.kick()
}

// valueDigest names a stored value without carrying the tokens in it onto
// another channel.
func valueDigest(value string, removed bool) string {
	if removed {
		return "removed"
	}
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
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
		_ = x.client.Sync(ctx) // a failure leaves this tab as it was; the next change tries again
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
