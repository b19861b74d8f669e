//go:build js && wasm

package main

import (
	"context"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// watchPage renews a session that fell due while its timer could not fire:
// browsers throttle timers in hidden tabs (to once a minute, or not at all
// when frozen) and a laptop sleeps through them. When the page becomes
// visible again or the network comes back, the client looks at once
// (sdk.Client.CheckSession renews only what is due).
func watchPage(client *sdk.Client, l *listeners) error {
	check := func(safejs.Value) {
		go client.CheckSession(context.Background())
	}
	if doc, ok := eventTarget("document"); ok {
		err := l.add(doc, "visibilitychange", func(ev safejs.Value) {
			if state, _ := stringProp(doc, "visibilityState"); state == "visible" {
				check(ev)
			}
		})
		if err != nil {
			return err
		}
	}
	if win, ok := eventTarget(""); ok {
		return l.add(win, "online", check)
	}
	return nil
}
