//go:build js && wasm

package main

import (
	"testing"

	"github.com/hack-pad/safejs"
)

// evalJS evaluates a JS expression (the tests run under Node).
func evalJS(t *testing.T, expr string) safejs.Value {
	t.Helper()
	v, err := safejs.Global().Call("eval", "("+expr+")")
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// countWarnings replaces console.warn for the test and returns a reader of
// how often it was called.
func countWarnings(t *testing.T) func() int {
	t.Helper()
	evalJS(t, `(() => { globalThis.__warns = 0; globalThis.__warn = console.warn; console.warn = () => { globalThis.__warns++; }; })()`)
	t.Cleanup(func() { evalJS(t, `(() => { console.warn = globalThis.__warn; })()`) })
	return func() int {
		n, _ := evalJS(t, "globalThis.__warns").Int()
		return n
	}
}

// mapStorage is a Web Storage stand-in (Node has none).
const mapStorage = `({ m: new Map(), writes: 0,
	getItem(k) { return this.m.has(k) ? this.m.get(k) : null; },
	setItem(k, v) { this.writes++; this.m.set(k, String(v)); },
	removeItem(k) { this.writes++; this.m.delete(k); } })`

// customStore is a store over the JS object expr, as connect makes it for
// a custom storage.
func customStore(t *testing.T, expr string) (*browserStore, safejs.Value) {
	t.Helper()
	backend := evalJS(t, expr)
	s, err := newBrowserStore(storageCustom, backend, newPage())
	if err != nil {
		t.Fatal(err)
	}
	return s, backend
}
