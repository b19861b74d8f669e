//go:build js && wasm

package main

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/jsvalue"
)

// connect is connect(id, config, storage, early, getToken): it dials (adopting the
// socket js/bindings.js opened early, if any), restores the stored session
// (sdk.Dial does both), and settles id with the client's handle. What is
// not needed for that (watching the page and the other tabs, probing the
// storage) waits for start, which the bindings call once the page has the
// db. The arguments are read now, on the caller's turn of the event loop;
// the network work runs on a goroutine.
func (b *bridge) connect(args []safejs.Value) any {
	id := intArg(args, 0)
	cfg, err := parseConfig(stringArg(args, 1))
	var store *browserStore
	if err == nil {
		store, err = newBrowserStore(cfg.storage, argOrUndefined(args, 2), b.page)
	}
	if err != nil {
		go b.settle(id, func() (string, error) { return "", err })
		return nil
	}
	ctx := context.Background()
	if early := argOrUndefined(args, 3); early.Type() == safejs.TypeObject {
		ctx = sdk.WithEarlySocket(ctx, safejs.Unsafe(early))
	}
	opts := append(cfg.options, sdk.WithStore(store), sdk.WithStorageErrorHandler(store.failed))
	if fn := argOrUndefined(args, 4); cfg.getToken && fn.Type() == safejs.TypeFunction {
		opts = append(opts, sdk.WithTokenSource(tokenSource(fn)))
	}
	var cookie *cookieMirror
	if cfg.cookie != nil {
		cookie = &cookieMirror{cfg: cfg.cookie, now: time.Now}
		store.mirror = cookie.record
	}
	go b.settle(id, func() (string, error) {
		client, err := sdk.Dial(ctx, cfg.url, opts...)
		if err != nil {
			return "", err
		}
		d := &database{b: b, client: client, store: store, crossTab: cfg.crossTab, subs: map[int]func(){}}
		if cookie != nil {
			d.page = append(d.page, mirrorSessions(client, cookie))
		}
		d.id = b.add(d)
		return d.describe(), nil
	})
	return nil
}

// mirrorSessions writes the restored session to the cookie now, and the
// client's current session at every auth event (a change followed from
// another tab stores nothing here); it returns what stops that.
func mirrorSessions(client *sdk.Client, cookie *cookieMirror) func() {
	cookie.session(client.Session())
	return client.OnAuthStateChange(func(sdk.Event, *sdk.Session) { cookie.session(client.Session()) })
}

// describe is what the bindings keep of a new client: its handle and what
// never changes.
func (d *database) describe() string {
	b := strings.Builder{}
	b.WriteString(`{"db":`)
	b.WriteString(strconv.Itoa(d.id))
	for _, f := range [...]struct{ name, value string }{
		{"storageKey", d.client.StorageKey()},
		{"serverVersion", d.client.Version().Raw},
		{"url", d.client.URL()},
	} {
		v, _ := jsvalue.Append(nil, f.value)
		b.WriteString(`,"` + f.name + `":` + string(v))
	}
	b.WriteString("}")
	return b.String()
}

func argOrUndefined(args []safejs.Value, i int) safejs.Value {
	if i >= len(args) {
		return safejs.Undefined()
	}
	return args[i]
}
