//go:build js && wasm

package main

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/sdk"
)

// mapStorage is a Web Storage stand-in (Node has none).
const mapStorage = `({ m: new Map(), writes: 0,
	getItem(k) { return this.m.has(k) ? this.m.get(k) : null; },
	setItem(k, v) { this.writes++; this.m.set(k, String(v)); },
	removeItem(k) { this.writes++; this.m.delete(k); } })`

func TestSetSkipsTheValueAlreadyThere(t *testing.T) {
	backend := evalJS(t, mapStorage)
	s, _ := newBrowserStore(backend)
	var announced []string
	s.onWrite = func(k, _ string, _ bool) { announced = append(announced, k) }
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

func TestFailedWriteRemovesTheOlderValue(t *testing.T) {
	countWarnings(t)
	backend := evalJS(t, `({ m: new Map([["k", "old"]]),
		getItem(k) { return this.m.get(k) ?? null; },
		setItem() { throw new Error("quota"); },
		removeItem(k) { this.m.delete(k); } })`)
	s, _ := newBrowserStore(backend)
	if err := s.Set("k", "new"); err != nil {
		t.Fatal(err)
	}
	if v, _ := backend.Call("getItem", "k"); !v.IsNull() {
		t.Fatal("the older value was left in the storage")
	}
	if v, ok, _ := s.Get("k"); !ok || v != "new" || s.Kind() != storageMemory {
		t.Fatalf("memory: %q %v kind %s", v, ok, s.Kind())
	}
}

// Node has no navigator.locks: Lock serialises through the page lock, and
// for localStorage through the lease.
func TestLockSerialisesWithoutWebLocks(t *testing.T) {
	s, _ := newBrowserStore(evalJS(t, mapStorage))
	s.kind = storageLocal // as if it were localStorage: the lease is used too
	var mu sync.Mutex
	inside, most := 0, 0
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Lock(context.Background(), "k:refresh", func() error {
				mu.Lock()
				inside++
				most = max(most, inside)
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				mu.Lock()
				inside--
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if most != 1 {
		t.Fatalf("%d holders at once", most)
	}
	if v, _ := s.backend.Call("getItem", leasePrefix+"k:refresh"); !v.IsNull() {
		t.Fatal("the lease was not released")
	}
}

func TestLeaseWaitsForAnotherHolder(t *testing.T) {
	storage := evalJS(t, mapStorage)
	until := time.Now().Add(time.Hour).UnixMilli()
	_, _ = storage.Call("setItem", leasePrefix+"x", "someoneelse "+strconv.FormatInt(until, 10))
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	ran := false
	err := withLease(ctx, storage, "x", func() error { ran = true; return nil })
	if ran || sdk.CodeOf(err) != sdk.CodeTimeout {
		t.Fatalf("ran %v, err %v: a live lease of another tab must be waited for", ran, err)
	}
	_, _ = storage.Call("setItem", leasePrefix+"x", "someoneelse 1") // expired long ago
	if err := withLease(context.Background(), storage, "x", func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatalf("an expired lease must be taken over: %v", err)
	}
}

func TestRetryStaleAfterAForeignWrite(t *testing.T) {
	s, _ := newBrowserStore(evalJS(t, mapStorage))
	runs := 0
	fn := s.retryStale(func() error {
		runs++
		if runs == 1 {
			go func() { time.Sleep(10 * time.Millisecond); s.noteForeignWrite() }()
			return &sdk.Error{Code: sdk.CodeTokenInvalid}
		}
		return nil
	})
	if err := fn(); err != nil || runs != 2 {
		t.Fatalf("err %v after %d runs, want a second run once the write arrived", err, runs)
	}
	runs = 0
	fn = s.retryStale(func() error { runs++; return &sdk.Error{Code: sdk.CodeInvalidCredentials} })
	if err := fn(); err == nil || runs != 1 {
		t.Fatalf("other errors are not retried: %d runs", runs)
	}
}
