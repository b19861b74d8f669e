//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// session answers db.session: the current session, or null.
func (d *database) session(_ []safejs.Value) any {
	v, err := sessionToJS(d.client.Session())
	if err != nil {
		return safejs.Null()
	}
	return v
}

// storage answers db.storage: "local", "session", "memory" or "custom".
func (d *database) storage(_ []safejs.Value) any { return d.store.Kind() }

// subscribe(notify) registers notify(event, session) and returns its id for
// unsubscribe. notify is the wrapper's: it only queues the user's listener
// as a microtask, so no user code runs while Go is on the stack. The first
// call is INITIAL_SESSION.
func (d *database) subscribe(args []safejs.Value) any {
	if len(args) == 0 || args[0].Type() != safejs.TypeFunction {
		return jsError(invalidParams("onAuthStateChange needs a function"))
	}
	notify := args[0]
	return d.keep(d.client.OnAuthStateChange(func(ev sdk.Event, s *sdk.Session) {
		sv, err := sessionToJS(s)
		if err != nil {
			sv = safejs.Null()
		}
		_, _ = notify.Invoke(string(ev), sv)
	}))
}

// keep files an sdk unsubscribe function under a new id for unsubscribe.
func (d *database) keep(unsubscribe func()) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	id := d.nextSub
	d.nextSub++
	d.subs[id] = unsubscribe
	return id
}

func (d *database) unsubscribe(args []safejs.Value) any {
	if len(args) == 0 {
		return nil
	}
	id, err := args[0].Int()
	if err != nil {
		return nil
	}
	d.mu.Lock()
	unsubscribe, ok := d.subs[id]
	delete(d.subs, id)
	d.mu.Unlock()
	if ok {
		unsubscribe()
	}
	return nil
}

// connectionState answers db.connectionState: "connected", "reconnecting"
// or "closed".
func (d *database) connectionState(_ []safejs.Value) any { return string(d.client.ConnState()) }

// subscribeConnection(notify) registers notify(state) for connection state
// changes and returns its id for unsubscribe. The wrapper subscribes once
// per db and fans the states out to the page's listeners itself.
func (d *database) subscribeConnection(args []safejs.Value) any {
	if len(args) == 0 || args[0].Type() != safejs.TypeFunction {
		return jsError(invalidParams("onConnectionChange needs a function"))
	}
	notify := args[0]
	return d.keep(d.client.OnConnectionChange(func(s sdk.ConnState) {
		_, _ = notify.Invoke(string(s))
	}))
}
