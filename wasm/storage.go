//go:build js && wasm

package main

import (
	"errors"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// The storage kinds db.storage reports.
const (
	storageLocal   = "local"   // window.localStorage: survives reloads, shared by tabs
	storageSession = "session" // window.sessionStorage: this tab only
	storageMemory  = "memory"  // forgotten on reload
	storageCustom  = "custom"  // the caller's {getItem, setItem, removeItem}
)

// browserStore is the sdk.Store for a page: Web Storage, a caller's object
// of the same shape, or memory. Storage that throws (Safari private mode, a
// full quota, a SecurityError in a sandboxed frame) is given up for memory
// for the rest of the page's life, with one console.warn: the session then
// does not survive a reload, but nothing fails.
type browserStore struct {
	mu      sync.Mutex
	kind    string
	backend safejs.Value // the JS storage; unused once kind is memory
	mem     *sdk.MemoryStore
	// pageLock serialises refreshes inside this page when the browser has
	// no navigator.locks (see Lock); connect shares one between clients.
	pageLock sdk.Locker
	// onWrite, if set, is told of every write that changed a key in the
	// JS storage, with the new value ("" and removed when it was removed);
	// the cross-tab glue broadcasts it for custom storages.
	onWrite func(key, value string, removed bool)
	// changes counts writes made by other tabs, as the cross-tab glue
	// hears of them; changed is closed (and replaced) on each.
	changes uint64
	changed chan struct{}
}

var (
	_ sdk.Store  = (*browserStore)(nil)
	_ sdk.Locker = (*browserStore)(nil)
)

// newBrowserStore resolves the storage option: undefined (local), "local",
// "session", "memory" or an object with getItem, setItem and removeItem.
func newBrowserStore(opt safejs.Value) (*browserStore, error) {
	s := &browserStore{mem: sdk.NewMemoryStore(), changed: make(chan struct{})}
	s.pageLock = s.mem
	switch opt.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		s.useWebStorage(storageLocal, "localStorage")
	case safejs.TypeString:
		name, _ := opt.String()
		switch name {
		case storageLocal:
			s.useWebStorage(storageLocal, "localStorage")
		case storageSession:
			s.useWebStorage(storageSession, "sessionStorage")
		case storageMemory:
			s.kind = storageMemory
		default:
			return nil, invalidParams(`storage must be "local", "session", "memory" or an object with getItem, setItem and removeItem; got "` + name + `"`)
		}
	case safejs.TypeObject:
		if !hasMethods(opt, "getItem", "setItem", "removeItem") {
			return nil, invalidParams("a storage object needs getItem, setItem and removeItem methods")
		}
		s.kind, s.backend = storageCustom, opt
	default:
		return nil, invalidParams(`storage must be "local", "session", "memory" or an object with getItem, setItem and removeItem`)
	}
	return s, nil
}

// useWebStorage picks window[global] and checks that it takes a write now,
// so db.storage is right from the start rather than after the first sign-in.
func (s *browserStore) useWebStorage(kind, name string) {
	s.kind = kind
	v, err := global(name) // the getter itself throws SecurityError when storage is blocked
	if err == nil && v.Type() != safejs.TypeObject {
		err = errors.New("this page has no " + name)
	}
	if err == nil {
		err = probe(v)
	}
	if err != nil {
		s.fallBack(err)
		return
	}
	s.backend = v
}

const probeKey = "surrealauth:probe"

func probe(storage safejs.Value) error {
	if _, err := storage.Call("setItem", probeKey, "1"); err != nil {
		return err
	}
	_, err := storage.Call("removeItem", probeKey)
	return err
}

// Kind is what db.storage reports.
func (s *browserStore) Kind() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.kind
}

// live returns the JS storage, or false once the store has fallen back.
func (s *browserStore) live() (safejs.Value, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.backend, s.kind != storageMemory
}

// Get implements sdk.Store.
func (s *browserStore) Get(key string) (string, bool, error) {
	backend, ok := s.live()
	if !ok {
		return s.mem.Get(key)
	}
	v, err := backend.Call("getItem", key)
	if err == nil && isThenable(v) {
		err = invalidParams("storage.getItem returned a Promise; only synchronous storage (the Web Storage shape) is supported")
	}
	if err != nil {
		s.fallBack(err)
		return s.mem.Get(key)
	}
	if v.IsNull() || v.IsUndefined() {
		return "", false, nil
	}
	str, err := v.String()
	return str, err == nil, nil
}

// Set implements sdk.Store. Writing the value already there is skipped,
// as Web Storage itself would not announce it. A write that throws leaves
// the session in memory; the older value is removed first, so that a
// reload cannot bring back a session this page has since replaced or
// signed out of.
func (s *browserStore) Set(key, value string) error {
	backend, ok := s.live()
	if !ok {
		return s.mem.Set(key, value)
	}
	cur, err := backend.Call("getItem", key)
	if err == nil && cur.Type() == safejs.TypeString {
		if v, _ := cur.String(); v == value {
			return nil
		}
	}
	if err == nil {
		_, err = backend.Call("setItem", key, value)
	}
	if err != nil {
		_, rmErr := backend.Call("removeItem", key)
		s.fallBackStale(err, rmErr != nil)
		return s.mem.Set(key, value)
	}
	s.wrote(key, value, false)
	return nil
}

// Remove implements sdk.Store.
func (s *browserStore) Remove(key string) error {
	backend, ok := s.live()
	if !ok {
		return s.mem.Remove(key)
	}
	if _, err := backend.Call("removeItem", key); err != nil {
		s.fallBackStale(err, true)
		return s.mem.Remove(key)
	}
	s.wrote(key, "", true)
	return nil
}

// noteForeignWrite records that another tab changed the store.
func (s *browserStore) noteForeignWrite() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changes++
	close(s.changed)
	s.changed = make(chan struct{})
}

// foreignWrites returns how many writes of other tabs were heard of so
// far, and a channel closed at the next.
func (s *browserStore) foreignWrites() (uint64, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changes, s.changed
}

func (s *browserStore) wrote(key, value string, removed bool) {
	s.mu.Lock()
	hook := s.onWrite
	s.mu.Unlock()
	if hook != nil {
		hook(key, value, removed)
	}
}

// fallBack switches to memory and says so, once.
func (s *browserStore) fallBack(cause error) { s.fallBackStale(cause, false) }

// fallBackStale is fallBack that also says when an older session may be
// left behind in the storage it gives up (its removal threw too).
func (s *browserStore) fallBackStale(cause error, stale bool) {
	s.mu.Lock()
	if s.kind == storageMemory {
		s.mu.Unlock()
		return
	}
	was := s.kind
	s.kind, s.backend = storageMemory, safejs.Value{}
	s.mu.Unlock()
	msg := `surrealauth: ` + was + ` storage is unavailable (` + describe(cause) + `); the session is kept in memory and will not survive a reload`
	if stale {
		msg += `; an older session could not be removed from that storage`
	}
	warn(msg)
}

func warn(msg string) {
	console, err := global("console")
	if err == nil && console.Type() == safejs.TypeObject {
		_, _ = console.Call("warn", msg)
	}
}

func hasMethods(v safejs.Value, names ...string) bool {
	for _, n := range names {
		m, err := get(v, n)
		if err != nil || m.Type() != safejs.TypeFunction {
			return false
		}
	}
	return true
}

func isThenable(v safejs.Value) bool {
	if v.Type() != safejs.TypeObject {
		return false
	}
	then, err := get(v, "then")
	return err == nil && then.Type() == safejs.TypeFunction
}
