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

// Node has no navigator.locks: Lock serialises through the page lock, and
// for localStorage through the lease.
func TestLockSerialisesWithoutWebLocks(t *testing.T) {
	s, _ := customStore(t, mapStorage)
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
	until := time.Now().Add(leaseTTL / 2).UnixMilli()
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

// Issue 11, finding 6: a lease that claims to last far longer than any tab
// writes one for (any script on the origin can write it) must not block
// refreshes until it expires: it is not a lease this code wrote.
func TestLeaseFarInTheFutureIsNotHeld(t *testing.T) {
	storage := evalJS(t, mapStorage)
	forever := time.Now().Add(24 * time.Hour).UnixMilli()
	_, _ = storage.Call("setItem", leasePrefix+"x", "squatter "+strconv.FormatInt(forever, 10))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ran := false
	if err := withLease(ctx, storage, "x", func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatalf("ran %v, err %v: a lease beyond the TTL was honoured", ran, err)
	}
}
