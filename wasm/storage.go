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
// of the same shape, or memory. A storage that throws returns the error;
// the sdk hands write failures (and a failed read at restore) to its
// storage error handler, which is failed below: the storage is given up
// for memory for the rest of the page's life, with one console.warn. The
// session then does not survive a reload, but nothing fails.
type browserStore struct {
	page *page

	mu      sync.Mutex
	kind    string
	backend safejs.Value // the JS storage; unused once kind is memory
	mem     *sdk.MemoryStore
	probed  bool
	// last is the value this client last read or wrote ("" for none): what
	// it knows, against which an announced write is recognised (crosstab.go).
	last string
	// onWrite, if set, is told of every write that changed the JS storage;
	// the cross-tab glue tells the other clients of the page, and a
	// custom storage's other tabs.
	onWrite func(key string)
	// changes counts writes made by others, as this client hears of them;
	// changed is closed (and replaced) on each (see sdk.StoreWatcher).
	changes uint64
	changed chan struct{}
}

var (
	_ sdk.Store        = (*browserStore)(nil)
	_ sdk.Locker       = (*browserStore)(nil)
	_ sdk.StoreWatcher = (*browserStore)(nil)
)

// newBrowserStore makes the store for kind, as the bindings checked it;
// custom is the page's object for "custom".
func newBrowserStore(kind string, custom safejs.Value, p *page) (*browserStore, error) {
	s := &browserStore{page: p, kind: kind, mem: sdk.NewMemoryStore(), changed: make(chan struct{})}
	switch kind {
	case storageLocal:
		s.useWebStorage("localStorage")
	case storageSession:
		s.useWebStorage("sessionStorage")
	case storageCustom:
		s.backend = custom
	case storageMemory:
	default:
		return nil, errInternal("storage kind " + kind)
	}
	return s, nil
}

// useWebStorage picks window[name]. Its getter throws SecurityError where
// storage is blocked: the store is then memory from the start.
func (s *browserStore) useWebStorage(name string) {
	v, err := global(name)
	if err == nil && v.Type() != safejs.TypeObject {
		err = errors.New("this page has no " + name)
	}
	if err != nil {
		s.failed(&storageError{kind: s.kind, cause: err})
		return
	}
	s.backend = v
}

const probeKey = "surrealauth:probe"

var errAsyncStorage = errors.New("storage.getItem returned an object (a Promise?); only synchronous storage, the Web Storage shape, is supported")

// probe checks, once, that Web Storage takes a write (Safari's private
// mode and a full quota refuse them while reads work), so that db.storage
// says "memory" before the first sign-in rather than after it.
func (s *browserStore) probe() {
	s.mu.Lock()
	backend, kind, done := s.backend, s.kind, s.probed
	s.probed = true
	s.mu.Unlock()
	if done || (kind != storageLocal && kind != storageSession) {
		return
	}
	_, err := backend.Call("setItem", probeKey, "1")
	if err == nil {
		_, err = backend.Call("removeItem", probeKey)
	}
	if err != nil {
		s.failed(&storageError{kind: kind, cause: err})
	}
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
	if err == nil && v.Type() == safejs.TypeObject {
		err = errAsyncStorage
	}
	if err != nil {
		return "", false, &storageError{kind: s.Kind(), cause: err}
	}
	str, found := text(v)
	s.know(str)
	return str, found, nil
}

// Set implements sdk.Store. Writing the value already there is skipped, as
// Web Storage itself would not announce it.
func (s *browserStore) Set(key, value string) error {
	backend, ok := s.live()
	if !ok {
		return s.mem.Set(key, value)
	}
	cur, err := backend.Call("getItem", key)
	if v, ok := text(cur); err == nil && ok && v == value {
		s.know(value)
		return nil
	}
	if err == nil {
		_, err = backend.Call("setItem", key, value)
	}
	if err != nil {
		return &storageError{kind: s.Kind(), cause: err, key: key, value: value, set: true}
	}
	s.know(value)
	s.wrote(key)
	return nil
}

// Remove implements sdk.Store.
func (s *browserStore) Remove(key string) error {
	backend, ok := s.live()
	if !ok {
		return s.mem.Remove(key)
	}
	if _, err := backend.Call("removeItem", key); err != nil {
		return &storageError{kind: s.Kind(), cause: err, key: key}
	}
	s.know("")
	s.wrote(key)
	return nil
}

func (s *browserStore) know(v string) {
	s.mu.Lock()
	s.last = v
	s.mu.Unlock()
}

func (s *browserStore) wrote(key string) {
	s.mu.Lock()
	hook := s.onWrite
	s.mu.Unlock()
	if hook != nil {
		hook(key)
	}
}

// noteForeignWrite records that another client changed the store.
func (s *browserStore) noteForeignWrite() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changes++
	close(s.changed)
	s.changed = make(chan struct{})
}

// Changes implements sdk.StoreWatcher: how many writes of other clients
// were heard of so far, and a channel closed at the next.
func (s *browserStore) Changes() (uint64, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changes, s.changed
}

// differs tells whether the storage now holds another value under key
// than the one this client last read or wrote. It does not count as a
// read: the client still knows what it knew.
func (s *browserStore) differs(key string) bool {
	backend, ok := s.live()
	if !ok {
		return false
	}
	v, err := backend.Call("getItem", key)
	if err != nil {
		return false
	}
	str, _ := text(v)
	s.mu.Lock()
	defer s.mu.Unlock()
	return str != s.last
}

// text is v when it is a string; "" and false for null (no such key) and
// anything else.
func text(v safejs.Value) (string, bool) {
	if v.Type() != safejs.TypeString {
		return "", false
	}
	s, err := v.String()
	return s, err == nil
}
