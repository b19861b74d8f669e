//go:build js && wasm

package main

import (
	"testing"

	"github.com/hack-pad/safejs"
)

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

func TestBrowserStoreCustom(t *testing.T) {
	backend := evalJS(t, `({ m: new Map(),
		getItem(k) { return this.m.has(k) ? this.m.get(k) : null; },
		setItem(k, v) { this.m.set(k, String(v)); },
		removeItem(k) { this.m.delete(k); } })`)
	s, err := newBrowserStore(backend)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != storageCustom {
		t.Fatalf("kind %q", s.Kind())
	}
	if _, ok, _ := s.Get("k"); ok {
		t.Fatal("found a key never set")
	}
	if err := s.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s.Get("k"); !ok || v != "v" {
		t.Fatalf("Get = %q, %v", v, ok)
	}
	if err := s.Remove("k"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get("k"); ok {
		t.Fatal("removed key still there")
	}
}

func TestBrowserStoreFallsBackOnce(t *testing.T) {
	warnings := countWarnings(t)
	backend := evalJS(t, `({
		getItem() { return null; },
		setItem() { throw new Error('QuotaExceededError'); },
		removeItem() { throw new Error('SecurityError'); } })`)
	s, err := newBrowserStore(backend)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("k", "v"); err != nil {
		t.Fatalf("Set after a throw must succeed in memory: %v", err)
	}
	if s.Kind() != storageMemory {
		t.Fatalf("kind %q, want memory", s.Kind())
	}
	if v, ok, _ := s.Get("k"); !ok || v != "v" {
		t.Fatalf("memory lost the value: %q, %v", v, ok)
	}
	_ = s.Remove("k")
	_ = s.Set("k", "w")
	if n := warnings(); n != 1 {
		t.Fatalf("%d warnings, want 1", n)
	}
}

func TestBrowserStoreRefusesPromises(t *testing.T) {
	countWarnings(t)
	backend := evalJS(t, `({ getItem() { return Promise.resolve('x'); }, setItem() {}, removeItem() {} })`)
	s, _ := newBrowserStore(backend)
	if _, ok, _ := s.Get("k"); ok || s.Kind() != storageMemory {
		t.Fatalf("an async getItem must fall back to memory; kind %q", s.Kind())
	}
}

func TestBrowserStoreOptions(t *testing.T) {
	for _, bad := range []string{`"cookies"`, `42`, `({getItem() {}})`} {
		if _, err := newBrowserStore(evalJS(t, bad)); err == nil {
			t.Errorf("storage %s accepted", bad)
		}
	}
	s, err := newBrowserStore(evalJS(t, `"memory"`))
	if err != nil || s.Kind() != storageMemory {
		t.Fatalf("memory: %v %v", s, err)
	}
	// Node has no localStorage: "local" falls back with a warning, not an error.
	warnings := countWarnings(t)
	s, err = newBrowserStore(safejs.Undefined())
	if err != nil || s.Kind() != storageMemory || warnings() != 1 {
		t.Fatalf("local without localStorage: kind %v err %v warnings %d", s.Kind(), err, warnings())
	}
}
