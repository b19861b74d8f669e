//go:build js && wasm

package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

func TestBrowserStoreCustom(t *testing.T) {
	s, _ := customStore(t, mapStorage)
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

func TestSetSkipsTheValueAlreadyThere(t *testing.T) {
	s, backend := customStore(t, mapStorage)
	var announced []string
	s.onWrite = func(k string) { announced = append(announced, k) }
	for range 3 {
		_ = s.Set("k", "v")
	}
	_ = s.Remove("k")
	writes, _ := backend.Get("writes")
	if n, _ := writes.Int(); n != 2 {
		t.Fatalf("%d writes, want 2 (one set, one remove)", n)
	}
	if len(announced) != 2 {
		t.Fatalf("announced %v", announced)
	}
}

// A write that throws is returned to the sdk, whose storage error handler
// (failed) gives the storage up: the value is kept in memory, the older one
// removed from the storage, and the page told once.
func TestFailedWriteGoesThroughTheHandler(t *testing.T) {
	warnings := countWarnings(t)
	s, backend := customStore(t, `({ m: new Map([["k", "old"]]),
		getItem(k) { return this.m.get(k) ?? null; },
		setItem() { throw new Error("quota"); },
		removeItem(k) { this.m.delete(k); } })`)
	err := s.Set("k", "new")
	var se *storageError
	if !errors.As(err, &se) || s.Kind() != storageCustom {
		t.Fatalf("Set: %v, kind %s: the failure is the sdk's to report", err, s.Kind())
	}
	s.failed(&sdk.Error{Code: sdk.CodeStorageUnavailable, Err: err}) // as the sdk calls it
	if v, _ := backend.Call("getItem", "k"); !v.IsNull() {
		t.Fatal("the older value was left in the storage")
	}
	if v, ok, _ := s.Get("k"); !ok || v != "new" || s.Kind() != storageMemory {
		t.Fatalf("memory: %q %v kind %s", v, ok, s.Kind())
	}
	s.failed(err)
	_ = s.Set("k", "w")
	if n := warnings(); n != 1 {
		t.Fatalf("%d warnings, want 1", n)
	}
}

// An async storage: every method returns a Promise, which the store waits
// for on its goroutine (the test's, as the sdk's would be).
func TestBrowserStoreAsync(t *testing.T) {
	s, backend := customStore(t, `({ m: new Map(),
		getItem(k) { return new Promise((r) => setTimeout(() => r(this.m.get(k) ?? null), 1)); },
		async setItem(k, v) { this.m.set(k, v); },
		async removeItem(k) { this.m.delete(k); } })`)
	if _, ok, err := s.Get("k"); ok || err != nil {
		t.Fatalf("Get of a key never set: %v %v", ok, err)
	}
	if err := s.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := s.Get("k"); !ok || v != "v" || err != nil {
		t.Fatalf("Get = %q, %v, %v", v, ok, err)
	}
	_, _ = backend.Call("setItem", "k", "w")
	if !s.differs("k") {
		t.Fatal("another client's value does not differ")
	}
	if err := s.Remove("k"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get("k"); ok {
		t.Fatal("removed key still there")
	}
}

// A rejection is a failure like a throw, with the reason's words; a
// getItem that resolves to something else than a string or null is one too.
func TestBrowserStoreAsyncFailures(t *testing.T) {
	s, _ := customStore(t, `({
		getItem(k) { return Promise.resolve(k === "bad" ? 42 : null); },
		setItem() { return Promise.reject(new DOMException("full", "QuotaExceededError")); },
		async removeItem() { throw new TypeError("no"); } })`)
	if _, _, err := s.Get("bad"); !errors.Is(err, errNotText) {
		t.Fatalf("getItem resolving to 42: %v", err)
	}
	err := s.Set("k", "v")
	var se *storageError
	if !errors.As(err, &se) || !strings.Contains(se.Error(), "QuotaExceededError: full") {
		t.Fatalf("a rejected setItem: %v", err)
	}
	if err := s.Remove("k"); err == nil || !strings.Contains(err.Error(), "TypeError: no") {
		t.Fatalf("a rejected removeItem: %v", err)
	}
}

func TestBrowserStoreKinds(t *testing.T) {
	s, err := newBrowserStore(storageMemory, safejs.Undefined(), newPage())
	if err != nil || s.Kind() != storageMemory {
		t.Fatalf("memory: %v %v", s, err)
	}
	if _, err := newBrowserStore("cookies", safejs.Undefined(), newPage()); err == nil {
		t.Fatal("an unknown kind was accepted")
	}
	// Node has no localStorage: "local" falls back with a warning, not an error.
	warnings := countWarnings(t)
	s, err = newBrowserStore(storageLocal, safejs.Undefined(), newPage())
	if err != nil || s.Kind() != storageMemory || warnings() != 1 {
		t.Fatalf("local without localStorage: kind %v err %v warnings %d", s.Kind(), err, warnings())
	}
}

// differs compares the storage with what the client last read or wrote,
// without counting as a read.
func TestDiffers(t *testing.T) {
	s, backend := customStore(t, mapStorage)
	_ = s.Set("k", "a")
	if s.differs("k") {
		t.Fatal("the value this client wrote differs")
	}
	_, _ = backend.Call("setItem", "k", "b")
	if !s.differs("k") || !s.differs("k") {
		t.Fatal("another client's value does not differ (or differs only once)")
	}
	_, _, _ = s.Get("k")
	if s.differs("k") {
		t.Fatal("a value read still differs")
	}
}

// A Promise that never settles counts as a failure once storeWait is over.
func TestBrowserStoreAsyncTimeout(t *testing.T) {
	defer func(w time.Duration) { storeWait = w }(storeWait)
	storeWait = 20 * time.Millisecond
	s, _ := customStore(t, `({ getItem() { return new Promise(() => {}); }, setItem() {}, removeItem() {} })`)
	if _, _, err := s.Get("k"); !errors.Is(err, errPromiseTimeout) {
		t.Fatalf("a getItem that never settles: %v", err)
	}
}
