//go:build js && wasm

package main

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// The lease: a stand-in for navigator.locks between tabs that share
// localStorage, on browsers without the Web Locks API (Safari before 15.4,
// pages not served from a secure context). It is written to localStorage
// as "<owner> <expiry ms>", and a tab holds it when, after writing it and
// waiting leaseSettle for a racing tab's write to land, it still reads its
// own. Limits, which is why navigator.locks is always preferred:
//   - it is not atomic: Web Storage has no compare-and-set, so two tabs
//     writing within leaseSettle of each other can both read their own
//     value (each renderer sees its own write first) and both refresh; one
//     of them is then signed out;
//   - a tab that dies holding it blocks the others until leaseTTL passes;
//     a lease that claims more than leaseTTL from now (written by anything
//     but this code, any script on the origin can) is not taken as held;
//   - a holder slower than leaseTTL loses it without knowing.
const (
	leasePrefix = "surrealauth-lease:"
	leaseTTL    = 15 * time.Second
	leaseSettle = 50 * time.Millisecond
	leasePoll   = 40 * time.Millisecond
	// leaseSkew is the slack for another tab's clock reading (the same
	// clock, read a moment apart).
	leaseSkew = time.Second
)

// withLease runs fn while holding the lease name in storage. A storage
// that throws cannot coordinate anything: fn then runs without it.
func withLease(ctx context.Context, storage safejs.Value, name string, fn func() error) error {
	key := leasePrefix + name
	owner := leaseOwner()
	for {
		held, err := tryLease(storage, key, owner)
		if err != nil {
			return fn()
		}
		if held {
			break
		}
		select {
		case <-ctx.Done():
			return &sdk.Error{Code: sdk.CodeTimeout, Message: "waiting for another tab's refresh lease", Err: ctx.Err()}
		case <-time.After(leasePoll + time.Duration(rand.Int64N(int64(leasePoll)))):
		}
	}
	defer releaseLease(storage, key, owner)
	return fn()
}

// tryLease takes the lease if it is free or expired, then checks that no
// other tab took it at the same time.
func tryLease(storage safejs.Value, key, owner string) (bool, error) {
	if holder, ok := readLease(storage, key); ok && holder != owner {
		return false, nil
	}
	until := time.Now().Add(leaseTTL).UnixMilli()
	if _, err := storage.Call("setItem", key, owner+" "+strconv.FormatInt(until, 10)); err != nil {
		return false, err
	}
	time.Sleep(leaseSettle)
	holder, ok := readLease(storage, key)
	return ok && holder == owner, nil
}

// readLease returns the lease's holder while it is unexpired.
func readLease(storage safejs.Value, key string) (string, bool) {
	v, err := storage.Call("getItem", key)
	if err != nil || v.Type() != safejs.TypeString {
		return "", false
	}
	s, _ := v.String()
	holder, until, ok := strings.Cut(s, " ")
	ms, err := strconv.ParseInt(until, 10, 64)
	now := time.Now()
	if !ok || err != nil || now.UnixMilli() > ms || ms > now.Add(leaseTTL+leaseSkew).UnixMilli() {
		return "", false
	}
	return holder, true
}

func releaseLease(storage safejs.Value, key, owner string) {
	if holder, ok := readLease(storage, key); ok && holder == owner {
		_, _ = storage.Call("removeItem", key)
	}
}

// leaseOwner names this attempt. It only has to differ from other tabs'
// names, not be secret: math/rand/v2's generator is seeded by the runtime
// from crypto.getRandomValues.
func leaseOwner() string { return strconv.FormatUint(rand.Uint64(), 36) }
