//go:build js && wasm

package main

import (
	"strconv"

	"github.com/surrealauth/surrealauth/sdk"
)

// session answers db.session: the current session's JSON, or "null".
func (d *database) session(string) any { return sessionJSON(d.client.Session()) }

// storageKind answers db.storage: "local", "session", "memory" or "custom".
// The storage is probed first if start has not done so yet, so the answer
// is right from the first read.
func (d *database) storageKind(string) any {
	d.store.probe()
	return d.store.Kind()
}

// connectionState answers db.connectionState.
func (d *database) connectionState(string) any { return string(d.client.ConnState()) }

// subscribe(sub) registers the bindings' auth listener sub: the sdk's
// events reach it through emit(sub, event, session JSON, cause), the first
// being INITIAL_SESSION; cause is SESSION_EXPIRED's (ExpiryCause, as error
// JSON), "" for the other events. The bindings queue the page's listener as a microtask,
// so no page code runs while Go is on the stack.
func (d *database) subscribe(arg string) any {
	sub, err := strconv.Atoi(arg)
	if err != nil {
		return nil
	}
	unsubscribe := d.client.OnAuthStateChange(func(ev sdk.Event, s *sdk.Session) {
		cause := ""
		if ev == sdk.EventSessionExpired {
			cause = causeJSON(d.client.ExpiryCause())
		}
		d.b.emit(sub, string(ev), sessionJSON(s), cause)
	})
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.released {
		unsubscribe()
		return nil
	}
	d.subs[sub] = unsubscribe
	return nil
}

// subscribeConnection(sub) registers the bindings' connection listener
// sub: every state change after this call reaches it as emit(sub, state).
// It is never unsubscribed: one per client, it hears "closed" last.
func (d *database) subscribeConnection(arg string) any {
	if sub, err := strconv.Atoi(arg); err == nil {
		d.client.OnConnectionChange(func(s sdk.ConnState) { d.b.emit(sub, string(s), "", "") })
	}
	return nil
}

// unsubscribe(sub) removes auth listener sub.
func (d *database) unsubscribe(arg string) any {
	sub, err := strconv.Atoi(arg)
	if err != nil {
		return nil
	}
	d.mu.Lock()
	unsubscribe, ok := d.subs[sub]
	delete(d.subs, sub)
	d.mu.Unlock()
	if ok {
		unsubscribe()
	}
	return nil
}
