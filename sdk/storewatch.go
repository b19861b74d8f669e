package sdk

import (
	"context"
	"time"
)

// StoreWatcher is a Store that hears of other clients' writes after they
// happened. Browser storage is one: another tab's localStorage write reaches
// this tab asynchronously, on another channel than the navigator.locks
// grant, so the next holder of the refresh lock can still read the pair the
// previous one just spent (measured in Chromium: 89 stale reads in 200
// grants). After a refresh the server refused as spent, a client whose
// Store is a StoreWatcher waits up to staleWait for such a write before it
// looks once more for the newer pair (docs/architecture.md#cross-tab).
type StoreWatcher interface {
	// Changes returns how many writes of other clients were heard of so
	// far, and a channel that is closed at the next.
	Changes() (count uint64, next <-chan struct{})
}

// staleWait bounds that wait: the other tab's write is on its way or it is
// not coming.
const staleWait = time.Second

// storeChanges is the store's change count now and the channel of the
// next one; nothing for a store that is not a StoreWatcher.
func (c *Client) storeChanges() (uint64, <-chan struct{}) {
	if w, ok := c.opts.store.(StoreWatcher); ok {
		return w.Changes()
	}
	return 0, nil
}

// awaitChange waits until the store has heard of a write since seen, for
// at most staleWait (or ctx). A store that is not a StoreWatcher has none
// to wait for.
func (c *Client) awaitChange(ctx context.Context, seen uint64, next <-chan struct{}) {
	w, ok := c.opts.store.(StoreWatcher)
	if !ok {
		return
	}
	if now, _ := w.Changes(); now != seen {
		return
	}
	timeout := make(chan struct{})
	stop := c.opts.clock.AfterFunc(staleWait, func() { close(timeout) })
	defer stop()
	select {
	case <-next:
	case <-timeout:
	case <-ctx.Done():
	}
}
